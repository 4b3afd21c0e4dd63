/**
 * The in-isolate value renderer: the text a debugger shows for a variable.
 *
 * `createRenderer` runs *inside* the isolate. The sandbox injects it as source text,
 * `(${createRenderer.toString()})()`, before any user code, so the factory must be
 * self-contained: it may reference nothing outside its own body. Everything it needs from
 * the language (Reflect, Object, Map.prototype ...) is captured into locals when it runs,
 * because user code may later replace any of those globals or prototype methods.
 *
 * The renderer never runs user code: no getters, no toString/valueOf/toJSON/inspect hooks,
 * no iteration protocol, no Proxy traps. Containers are read through property descriptors
 * and captured intrinsic methods only.
 */

/** Bounds on how much of a value is shown. */
export interface RenderCaps {
  /** Nesting levels expanded below the top value; deeper containers show as `[Object]`, `[Array]` ... */
  depth: number;
  /** Entries shown per array, object, Map or Set before `... N more items`. */
  items: number;
  /** Characters of a string shown before `... N more characters`. */
  stringLength: number;
}

export interface GuestRenderer {
  /** Bounded, util.inspect-like one-line text for any value. Never runs user code. Never throws. */
  render(value: unknown, caps: RenderCaps): string;
  /** True when `value` was created by `new Proxy(...)` (or `Proxy.revocable`) after createRenderer() ran. */
  isProxy(value: unknown): boolean;
}

/** Caps used for trace variables unless a caller asks otherwise. Host side only. */
export const DEFAULT_RENDER_CAPS: Readonly<RenderCaps> = Object.freeze({ depth: 2, items: 10, stringLength: 80 });

/**
 * Builds the renderer and installs the Proxy-recording wrapper on `globalThis.Proxy`.
 * Self-contained: evaluated inside the isolate before user code. Captures intrinsics now.
 *
 * `isHiddenName`, when given, names the identifiers user code must never observe (the probes'
 * runtime and frame names): every proxy handler is wrapped so that its traps are not called
 * with such a key. Without that, `with (new Proxy({}, { has(t, k) { ... } })) { ... }` would
 * see each probe name the instrumented block looks up, and could answer for it.
 */
export function createRenderer(isHiddenName?: (key: unknown) => boolean): GuestRenderer {
  // ---------------------------------------------------------------------------------------
  // Intrinsics. `uncurry(f)(self, ...args)` calls the captured `f` with `self` as `this`,
  // without looking anything up at call time (a bound `Function.prototype.call`).
  // ---------------------------------------------------------------------------------------
  type Method = (self: unknown, ...args: unknown[]) => unknown;
  const FunctionProto = Function.prototype;
  const uncurry = FunctionProto.bind.bind(FunctionProto.call) as unknown as (fn: Function) => Method;
  const getProto = Object.getPrototypeOf as (o: object) => object | null;
  const getOwnDesc = Object.getOwnPropertyDescriptor;
  const hasOwn = Object.hasOwn;
  const ownKeys = Reflect.ownKeys;
  const construct = Reflect.construct;
  const isArray = Array.isArray;
  const jsonStringify = JSON.stringify as (value: string) => string;
  const objectCreate = Object.create as (proto: null) => Record<string, unknown>;
  const ObjectProto = Object.prototype;
  const ArrayProto = Array.prototype;
  const OriginalProxy = Proxy;
  const WeakMapCtor = WeakMap;
  const Uint8ArrayCtor = Uint8Array;
  const symbolIterator = Symbol.iterator;
  const symbolToStringTag = Symbol.toStringTag;
  const arrayValues = ArrayProto.values;
  const setPrototypeOf = Object.setPrototypeOf;
  /**
   * Internal arrays have no prototype: index reads and writes on them must not reach
   * accessors user code may define on Array.prototype (`Object.defineProperty(Array.prototype, 0, ...)`).
   */
  const newList = <T>(): T[] => setPrototypeOf([], null) as T[];

  const strIndexOf = uncurry(String.prototype.indexOf) as (s: string, find: string, from?: number) => number;
  const strSlice = uncurry(String.prototype.slice) as (s: string, start: number, end?: number) => string;
  const numToString = uncurry(Number.prototype.toString) as (n: number, radix: number) => string;
  const propIsEnumerable = uncurry(ObjectProto.propertyIsEnumerable) as (o: object, k: PropertyKey) => boolean;
  const fnToString = uncurry(FunctionProto.toString) as (f: unknown) => string;

  /** An intrinsic accessor's getter, callable on any receiver; brand-checks like the original. */
  const getterOf = (proto: object, key: PropertyKey): ((self: unknown) => unknown) | undefined => {
    const desc = getOwnDesc(proto, key);
    return desc !== undefined && typeof desc.get === 'function' ? (uncurry(desc.get) as (self: unknown) => unknown) : undefined;
  };
  const requiredGetter = (proto: object, key: PropertyKey): ((self: unknown) => unknown) => {
    const get = getterOf(proto, key);
    if (get === undefined) throw new TypeError('ldb renderer: missing intrinsic getter ' + String(key));
    return get;
  };

  const MapProto = Map.prototype;
  const mapSize = requiredGetter(MapProto, 'size') as (m: unknown) => number;
  const mapEntries = uncurry(MapProto.entries);
  const mapIterNext = uncurry((getProto(new Map().entries()) as Iterator<unknown>).next) as (it: unknown) => IteratorResult<unknown[]>;
  const SetProto = Set.prototype;
  const setSize = requiredGetter(SetProto, 'size') as (s: unknown) => number;
  const setValues = uncurry(SetProto.values);
  const setIterNext = uncurry((getProto(new Set().values()) as Iterator<unknown>).next) as (it: unknown) => IteratorResult<unknown>;
  const WeakMapProto = WeakMap.prototype;
  const weakMapHas = uncurry(WeakMapProto.has) as (m: unknown, k: unknown) => boolean;
  const weakMapGet = uncurry(WeakMapProto.get) as (m: unknown, k: unknown) => unknown;
  const weakMapSet = uncurry(WeakMapProto.set) as (m: unknown, k: unknown, v: unknown) => unknown;
  const WeakSetProto = WeakSet.prototype;
  const weakSetHas = uncurry(WeakSetProto.has) as (s: unknown, k: unknown) => boolean;
  const DateProto = Date.prototype;
  const dateGetTime = uncurry(DateProto.getTime) as (d: unknown) => number;
  const dateToISOString = uncurry(DateProto.toISOString) as (d: unknown) => string;
  const RegExpProto = RegExp.prototype;
  const regExpSource = requiredGetter(RegExpProto, 'source') as (r: unknown) => string;
  // Flags one getter at a time: the generic `flags` getter reads properties through [[Get]].
  const flagChars: string[] = newList();
  const flagGetters: ((r: unknown) => unknown)[] = newList();
  const flagNames = ['hasIndices', 'd', 'global', 'g', 'ignoreCase', 'i', 'multiline', 'm', 'dotAll', 's', 'unicode', 'u', 'unicodeSets', 'v', 'sticky', 'y'];
  for (let i = 0; i < flagNames.length; i += 2) {
    const get = getterOf(RegExpProto, flagNames[i] as string);
    if (get !== undefined) {
      flagGetters[flagGetters.length] = get;
      flagChars[flagChars.length] = flagNames[i + 1] as string;
    }
  }
  const ErrorProto = Error.prototype;
  const PromiseProto = Promise.prototype;
  const TypedArrayProto = getProto(Uint8Array.prototype) as object;
  const typedArrayLength = requiredGetter(TypedArrayProto, 'length') as (t: unknown) => number;
  // Returns the concrete type name for typed arrays and undefined for anything else, without throwing.
  const typedArrayName = requiredGetter(TypedArrayProto, symbolToStringTag) as (t: unknown) => string | undefined;
  const ArrayBufferProto = ArrayBuffer.prototype;
  const arrayBufferByteLength = requiredGetter(ArrayBufferProto, 'byteLength') as (b: unknown) => number;
  const DataViewProto = DataView.prototype;
  const dataViewByteLength = requiredGetter(DataViewProto, 'byteLength') as (d: unknown) => number;
  const dataViewByteOffset = requiredGetter(DataViewProto, 'byteOffset') as (d: unknown) => number;
  const dataViewBuffer = requiredGetter(DataViewProto, 'buffer') as (d: unknown) => unknown;
  const NumberProto = Number.prototype;
  const numberValueOf = uncurry(NumberProto.valueOf) as (n: unknown) => number;
  const StringProto = String.prototype;
  const stringValueOf = uncurry(StringProto.valueOf) as (s: unknown) => string;
  const BooleanProto = Boolean.prototype;
  const booleanValueOf = uncurry(BooleanProto.valueOf) as (b: unknown) => boolean;
  const SymbolProto = Symbol.prototype;
  const symbolValueOf = uncurry(SymbolProto.valueOf) as (s: unknown) => symbol;
  const symbolDescription = requiredGetter(SymbolProto, 'description') as (s: symbol) => string | undefined;
  const BigIntProto = BigInt.prototype;
  const bigIntValueOf = uncurry(BigIntProto.valueOf) as (b: unknown) => bigint;
  const AsyncFunctionProto = getProto(async function () {});
  const GeneratorFunctionProto = getProto(function* () {});
  const AsyncGeneratorFunctionProto = getProto(async function* () {});

  /** Longer strings are not read at all (see quoteCapped). */
  const HUGE_STRING = 1 << 20;

  // Sentinel for "no own data property here" (missing or accessor).
  const NONE: object = objectCreate(null);

  // ---------------------------------------------------------------------------------------
  // Proxy recording. A Proxy is indistinguishable from its target without running its traps,
  // so every proxy is registered here when created. The replacement constructor is itself a
  // proxy of the original, which keeps name, length, `typeof`, the missing `prototype` and the
  // "requires 'new'" TypeError identical to the real one.
  // ---------------------------------------------------------------------------------------
  const proxyTargets = new WeakMapCtor<object, object>();
  const revokedProxies = new WeakMapCtor<object, boolean>();
  const originalRevocable = OriginalProxy.revocable;
  const reflectApply = Reflect.apply as (fn: Function, self: unknown, args: ArrayLike<unknown>) => unknown;
  const TypeErrorCtor = TypeError;
  // Each user handler gets one guard handler (cached): the guard's traps look the user's trap up
  // at call time, exactly as the engine would, and call it with the user's handler as `this`;
  // only keys that are hidden names skip the user's trap and get the default behaviour.
  const guards = new WeakMapCtor<object, object>();
  const keyedTraps: [string, Function][] = [
    ['has', Reflect.has],
    ['get', Reflect.get],
    ['set', Reflect.set],
    ['getOwnPropertyDescriptor', Reflect.getOwnPropertyDescriptor],
    ['defineProperty', Reflect.defineProperty],
    ['deleteProperty', Reflect.deleteProperty],
  ];
  const otherTraps: [string, Function][] = [
    ['getPrototypeOf', Reflect.getPrototypeOf],
    ['setPrototypeOf', Reflect.setPrototypeOf],
    ['isExtensible', Reflect.isExtensible],
    ['preventExtensions', Reflect.preventExtensions],
    ['ownKeys', Reflect.ownKeys],
    ['apply', Reflect.apply],
    ['construct', Reflect.construct],
  ];
  const forwardingTrap = (handler: Record<string, unknown>, name: string, fallback: Function, keyed: boolean) =>
    function (this: unknown, ...args: unknown[]): unknown {
      if (keyed && isHiddenName !== undefined && isHiddenName(args[1])) return reflectApply(fallback, undefined, args);
      const trap = handler[name];
      if (trap === undefined || trap === null) return reflectApply(fallback, undefined, args);
      if (typeof trap !== 'function') throw new TypeErrorCtor("'" + name + "' on proxy: trap is not a function");
      return reflectApply(trap, handler, args);
    };
  const guardOf = (handler: unknown): unknown => {
    if (isHiddenName === undefined || handler === null || (typeof handler !== 'object' && typeof handler !== 'function')) return handler;
    let guard = weakMapGet(guards, handler) as object | undefined;
    if (guard === undefined) {
      const traps = objectCreate(null);
      const record = handler as Record<string, unknown>;
      for (let i = 0; i < keyedTraps.length; i++) {
        const entry = keyedTraps[i] as [string, Function];
        traps[entry[0]] = forwardingTrap(record, entry[0], entry[1], true);
      }
      for (let i = 0; i < otherTraps.length; i++) {
        const entry = otherTraps[i] as [string, Function];
        traps[entry[0]] = forwardingTrap(record, entry[0], entry[1], false);
      }
      guard = traps;
      weakMapSet(guards, handler, guard);
    }
    return guard;
  };
  const proxyHandler = objectCreate(null) as ProxyHandler<ProxyConstructor>;
  proxyHandler.construct = (target: ProxyConstructor, args: unknown[], newTarget: Function): object => {
    const proxyTarget = args[0];
    const proxy = construct(target, [proxyTarget, guardOf(args[1])], newTarget) as object;
    weakMapSet(proxyTargets, proxy, proxyTarget);
    return proxy;
  };
  const revocableHolder = {
    revocable(target: object, handler: ProxyHandler<object>): { proxy: object; revoke: () => void } {
      const pair = (uncurry(originalRevocable) as (self: unknown, t: object, h: unknown) => { proxy: object; revoke: () => void })(
        OriginalProxy,
        target,
        guardOf(handler),
      );
      const proxy = pair.proxy;
      const revoke = uncurry(pair.revoke);
      weakMapSet(proxyTargets, proxy, target);
      // Wrapped only to learn about revocation; an anonymous function like the original.
      const revokers = [
        function (): void {
          weakMapSet(revokedProxies, proxy, true);
          revoke(undefined);
        },
      ];
      return { proxy, revoke: revokers[0] as () => void };
    },
  };
  OriginalProxy.revocable = revocableHolder.revocable as typeof Proxy.revocable;
  (globalThis as { Proxy: ProxyConstructor }).Proxy = new OriginalProxy(OriginalProxy, proxyHandler);

  const isProxy = (value: unknown): boolean => weakMapHas(proxyTargets, value);

  // ---------------------------------------------------------------------------------------
  // Per-call state. Rendering is never re-entered (no user code runs), so plain closure
  // variables are enough and cost nothing to pass around.
  // ---------------------------------------------------------------------------------------
  let capDepth = 2;
  let capItems = 10;
  let capString = 80;
  // Ancestors of the value being rendered, for cycle detection, with the `*N` ref id each got.
  const seen: unknown[] = newList();
  const seenRefs: number[] = newList();
  let seenLength = 0;
  let nextRef = 0;

  const capOf = (value: unknown, fallback: number): number =>
    typeof value === 'number' && value >= 0 ? value : fallback;

  function render(value: unknown, caps: RenderCaps): string {
    try {
      const c = caps === null || typeof caps !== 'object' ? undefined : caps;
      capDepth = capOf(c && c.depth, 2);
      capItems = capOf(c && c.items, 10);
      capString = capOf(c && c.stringLength, 80);
      seenLength = 0;
      nextRef = 0;
      return renderValue(value, 0);
    } catch {
      return '[unrenderable]';
    } finally {
      // Drop references to user objects so the renderer does not keep them alive.
      for (let i = 0; i < seen.length; i++) seen[i] = undefined;
    }
  }

  function renderValue(value: unknown, level: number): string {
    switch (typeof value) {
      case 'string':
        return quoteCapped(value);
      case 'number':
        return formatNumber(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'undefined':
        return 'undefined';
      case 'bigint':
        return '' + value + 'n';
      case 'symbol':
        return formatSymbol(value);
      case 'function':
        return renderObjectGuarded(value, level);
      default:
        return value === null ? 'null' : renderObjectGuarded(value as object, level);
    }
  }

  /** One unrenderable nested value should not blank out its whole parent. */
  function renderObjectGuarded(o: object, level: number): string {
    const depthBefore = seenLength;
    try {
      return renderObject(o, level);
    } catch {
      seenLength = depthBefore;
      return '[unrenderable]';
    }
  }

  function renderObject(o: object, level: number): string {
    if (weakMapHas(proxyTargets, o)) return renderProxy(o, level);
    if (typeof o === 'function') return renderFunction(o);
    for (let i = 0; i < seenLength; i++) {
      if (seen[i] === o) {
        if (seenRefs[i] === 0) seenRefs[i] = ++nextRef;
        return '[Circular *' + seenRefs[i] + ']';
      }
    }
    if (isArray(o)) return renderArray(o as unknown[], level);
    const proto = getProto(o);
    if (proto === ObjectProto) {
      if (isArguments(o)) return renderArguments(o, level);
      // Namespaces like Math and JSON carry their own tag: `Object [Math] {...}`.
      const tag = ownData(o, symbolToStringTag);
      return renderPlainObject(o, level, typeof tag === 'string' ? 'Object [' + tag + '] ' : '', 'Object');
    }
    if (proto === null) return renderPlainObject(o, level, '[Object: null prototype] ', 'Object: null prototype');
    return renderDerived(o, proto, level);
  }

  // ---- containment bookkeeping ------------------------------------------------------------

  function enter(o: object): void {
    seen[seenLength] = o;
    seenRefs[seenLength] = 0;
    seenLength++;
  }

  /** Leaves `o`; prefixes `<ref *N>` when a descendant pointed back at it. */
  function leave(text: string): string {
    seenLength--;
    seen[seenLength] = undefined;
    const ref = seenRefs[seenLength];
    return ref ? '<ref *' + ref + '> ' + text : text;
  }

  // ---- primitives -------------------------------------------------------------------------

  function formatNumber(n: number): string {
    return n === 0 && 1 / n < 0 ? '-0' : '' + n;
  }

  function formatSymbol(sym: symbol): string {
    const description = symbolDescription(sym);
    return description === undefined ? 'Symbol()' : 'Symbol(' + oneLine(cut(description)) + ')';
  }

  /** A string literal, cut to the cap with node's `'abc'... 12 more characters` suffix. */
  function quoteCapped(s: string): string {
    const length = s.length;
    if (length <= capString) return quote(s);
    // Reading any character of a string built by concatenation makes V8 flatten all of it:
    // for a huge one that could take more memory than the program ever used. Only its length.
    if (length > HUGE_STRING) return '[string of ' + length + ' characters]';
    let end = capString;
    // Do not split a surrogate pair (it would show as an escape).
    const last = s[end - 1];
    if (end > 0 && last !== undefined && last >= '\uD800' && last <= '\uDBFF') end--;
    const rest = length - end;
    return quote(strSlice(s, 0, end)) + '... ' + rest + (rest === 1 ? ' more character' : ' more characters');
  }

  function cut(s: string): string {
    if (s.length > HUGE_STRING) return '[string of ' + s.length + ' characters]';
    return s.length <= capString ? s : strSlice(s, 0, capString) + '...';
  }

  /**
   * Quotes like util.inspect: single quotes unless the text contains one; then double quotes,
   * or backticks when it has both. Escaping comes from the native JSON.stringify (fast, and it
   * escapes control characters and lone surrogates), adjusted for the chosen quote.
   */
  function quote(s: string): string {
    const json = jsonStringify(s);
    const hasSingle = strIndexOf(s, "'") !== -1;
    const hasDouble = strIndexOf(s, '"') !== -1;
    if (hasSingle && !hasDouble) return json;
    let inner = strSlice(json, 1, json.length - 1);
    if (hasDouble) inner = replaceAll(inner, '\\"', '"');
    if (!hasSingle) return "'" + inner + "'";
    if (strIndexOf(s, '`') === -1) return '`' + inner + '`';
    return "'" + replaceAll(inner, "'", "\\'") + "'";
  }

  /** Escapes control characters (keeps output on one line) without quoting. */
  function oneLine(s: string): string {
    for (let i = 0; i < s.length; i++) {
      if ((s[i] as string) < ' ') return replaceAll(strSlice(jsonStringify(s), 1, -1), '\\"', '"');
    }
    return s;
  }

  function replaceAll(s: string, find: string, replacement: string): string {
    let at = strIndexOf(s, find, 0);
    if (at === -1) return s;
    let out = '';
    let from = 0;
    while (at !== -1) {
      out += strSlice(s, from, at) + replacement;
      from = at + find.length;
      at = strIndexOf(s, find, from);
    }
    return out + strSlice(s, from);
  }

  function formatKey(key: string | symbol): string {
    if (typeof key === 'symbol') return '[' + formatSymbol(key) + ']';
    return isIdentifier(key) ? key : quoteCapped(key);
  }

  function isIdentifier(s: string): boolean {
    const length = s.length;
    if (length === 0) return false;
    for (let i = 0; i < length; i++) {
      const c = s[i] as string;
      const ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) return false;
    }
    return true;
  }

  // ---- property access without running user code -------------------------------------------

  /** Own data property value, or NONE when absent or an accessor. */
  function ownData(o: object, key: PropertyKey): unknown {
    const desc = getOwnDesc(o, key);
    return desc !== undefined && hasOwn(desc, 'value') ? desc.value : NONE;
  }

  /** Data property found along the prototype chain (stopping at accessors and proxies). */
  function chainData(o: object, key: PropertyKey): unknown {
    let p: object | null = o;
    for (let hops = 0; p !== null && hops < 100; hops++) {
      if (weakMapHas(proxyTargets, p)) return NONE;
      const desc = getOwnDesc(p, key);
      if (desc !== undefined) return hasOwn(desc, 'value') ? desc.value : NONE;
      p = getProto(p);
    }
    return NONE;
  }

  function functionName(f: unknown): string {
    if (typeof f !== 'function' || weakMapHas(proxyTargets, f)) return '';
    const name = ownData(f, 'name');
    return typeof name === 'string' ? name : '';
  }

  /** Name of the nearest `constructor` data property in the chain (like util.inspect), or ''. */
  function constructorName(o: object): string {
    let p: object | null = getProto(o);
    for (let hops = 0; p !== null && hops < 100; hops++) {
      if (weakMapHas(proxyTargets, p)) return '';
      const name = functionName(ownData(p, 'constructor'));
      if (name !== '') return name;
      p = getProto(p);
    }
    return '';
  }

  /** `Symbol.toStringTag` when it is a plain data string somewhere in the chain. */
  function stringTag(o: object): string {
    const tag = chainData(o, symbolToStringTag);
    return typeof tag === 'string' ? tag : '';
  }

  function renderSlot(desc: PropertyDescriptor, level: number): string {
    if (hasOwn(desc, 'value')) return renderValue(desc.value, level + 1);
    const hasGet = desc.get !== undefined;
    const hasSet = desc.set !== undefined;
    return hasGet ? (hasSet ? '[Getter/Setter]' : '[Getter]') : hasSet ? '[Setter]' : 'undefined';
  }

  // ---- objects ----------------------------------------------------------------------------

  /**
   * Own enumerable properties as `key: value` pairs joined by ', ', capped at `items`.
   * `skip` filters keys already shown another way (array indices, error name/message).
   */
  function renderProperties(o: object, level: number, skip: (key: string | symbol) => boolean): string {
    const keys = ownKeys(o);
    let out = '';
    let shown = 0;
    let i = 0;
    for (; i < keys.length && shown < capItems; i++) {
      const key = keys[i] as string | symbol;
      if (skip(key)) continue;
      const desc = getOwnDesc(o, key);
      if (desc === undefined || !desc.enumerable) continue;
      out += (shown === 0 ? '' : ', ') + formatKey(key) + ': ' + renderSlot(desc, level);
      shown++;
    }
    let more = 0;
    for (; i < keys.length; i++) {
      const key = keys[i] as string | symbol;
      if (!skip(key) && propIsEnumerable(o, key)) more++;
    }
    if (more > 0) out += (shown === 0 ? '' : ', ') + '... ' + more + (more === 1 ? ' more property' : ' more properties');
    return out;
  }

  const skipNothing = (): boolean => false;

  function braces(prefix: string, body: string): string {
    return body === '' ? prefix + '{}' : prefix + '{ ' + body + ' }';
  }

  function renderPlainObject(o: object, level: number, prefix: string, summaryName: string): string {
    if (level > capDepth) return ownKeys(o).length === 0 ? prefix + '{}' : '[' + summaryName + ']';
    enter(o);
    return leave(braces(prefix, renderProperties(o, level, skipNothing)));
  }

  /** Objects whose prototype is neither Object.prototype nor null: builtins, class instances. */
  function renderDerived(o: object, proto: object, level: number): string {
    let p: object | null = proto;
    for (let hops = 0; p !== null && p !== ObjectProto && hops < 100; hops++) {
      if (weakMapHas(proxyTargets, p)) break;
      const builtin = renderBuiltin(o, p, p === proto, level);
      if (builtin !== null) {
        if (builtin !== undefined) return builtin;
        break; // builtin prototype, but not a real instance (Object.create(Map.prototype))
      }
      p = getProto(p);
    }
    return renderInstance(o, level);
  }

  function renderInstance(o: object, level: number): string {
    const name = constructorName(o) || 'Object';
    const tag = stringTag(o);
    const label = tag !== '' && tag !== name ? name + ' [' + tag + ']' : name;
    const prefix = label === 'Object' ? '' : label + ' ';
    return renderPlainObject(o, level, prefix, name);
  }

  /** Label for an instance of builtin `base`: `MyMap [Map]` for subclasses, `Map` otherwise. */
  function builtinLabel(o: object, direct: boolean, base: string): string {
    if (direct) return base;
    const name = constructorName(o);
    return name === '' || name === base ? base : name + ' [' + base + ']';
  }

  /**
   * Renders `o` as the builtin whose prototype is `p`. Returns null when `p` is not a builtin
   * prototype (keep walking the chain) and undefined when `o` fails the builtin's brand check.
   */
  function renderBuiltin(o: object, p: object, direct: boolean, level: number): string | null | undefined {
    if (p === MapProto) return renderMap(o, direct, level);
    if (p === SetProto) return renderSet(o, direct, level);
    if (p === DateProto) return renderDate(o);
    if (p === RegExpProto) return renderRegExp(o);
    if (p === ErrorProto) return renderError(o, level);
    if (p === TypedArrayProto) return renderTypedArray(o, level);
    if (p === PromiseProto) return builtinLabel(o, direct, 'Promise') + ' { <unknown> }';
    if (p === WeakMapProto) return brandOk(weakMapHas, o) ? builtinLabel(o, direct, 'WeakMap') + ' { <items unknown> }' : undefined;
    if (p === WeakSetProto) return brandOk(weakSetHas, o) ? builtinLabel(o, direct, 'WeakSet') + ' { <items unknown> }' : undefined;
    if (p === ArrayBufferProto) return renderArrayBuffer(o, level);
    if (p === DataViewProto) return renderDataView(o, level);
    if (p === NumberProto) return renderBoxed(o, 'Number', numberValueOf);
    if (p === StringProto) return renderBoxed(o, 'String', stringValueOf);
    if (p === BooleanProto) return renderBoxed(o, 'Boolean', booleanValueOf);
    if (p === SymbolProto) return renderBoxed(o, 'Symbol', symbolValueOf);
    if (p === BigIntProto) return renderBoxed(o, 'BigInt', bigIntValueOf);
    return null;
  }

  function brandOk(method: (self: unknown, arg: unknown) => unknown, o: object): boolean {
    try {
      method(o, NONE);
      return true;
    } catch {
      return false;
    }
  }

  function renderBoxed(o: object, type: string, valueOf: (self: unknown) => unknown): string | undefined {
    let value: unknown;
    try {
      value = valueOf(o);
    } catch {
      return undefined;
    }
    return '[' + type + ': ' + renderValue(value, capDepth + 1) + ']';
  }

  function renderDate(o: object): string | undefined {
    let time: number;
    try {
      time = dateGetTime(o);
    } catch {
      return undefined;
    }
    return time !== time ? 'Invalid Date' : dateToISOString(o);
  }

  function renderRegExp(o: object): string | undefined {
    let source: string;
    try {
      source = regExpSource(o);
    } catch {
      return undefined;
    }
    let flags = '';
    for (let i = 0; i < flagGetters.length; i++) {
      if ((flagGetters[i] as (r: unknown) => unknown)(o)) flags += flagChars[i];
    }
    return '/' + source + '/' + flags;
  }

  const skipErrorKeys = (key: string | symbol): boolean => key === 'name' || key === 'message' || key === 'stack';

  /** `TypeError: message` at top level, `[TypeError: message]` nested, then any extra own props. */
  function renderError(o: object, level: number): string {
    const nameValue = chainData(o, 'name');
    const name = typeof nameValue === 'string' && nameValue !== '' ? nameValue : 'Error';
    const ctor = constructorName(o);
    const label = ctor === '' || ctor === name ? name : ctor + ' [' + name + ']';
    const messageValue = chainData(o, 'message');
    const message = typeof messageValue === 'string' ? oneLine(cut(messageValue)) : '';
    const head = message === '' ? label : label + ': ' + message;
    const text = level === 0 ? head : '[' + head + ']';
    if (level > capDepth) return text;
    enter(o);
    const props = renderProperties(o, level, skipErrorKeys);
    return leave(props === '' ? text : text + ' { ' + props + ' }');
  }

  // ---- functions ----------------------------------------------------------------------------

  function renderFunction(f: object): string {
    const proto = getProto(f);
    const name = functionName(f);
    let kind = 'Function';
    if (proto === AsyncFunctionProto) kind = 'AsyncFunction';
    else if (proto === GeneratorFunctionProto) kind = 'GeneratorFunction';
    else if (proto === AsyncGeneratorFunctionProto) kind = 'AsyncGeneratorFunction';
    else if (isClass(f)) return renderClass(name, proto);
    return '[' + kind + (name === '' ? ' (anonymous)' : ': ' + name) + ']';
  }

  function renderClass(name: string, parent: object | null): string {
    let text = '[class ' + (name === '' ? '(anonymous)' : name);
    if (parent !== null && parent !== FunctionProto && typeof parent === 'function') {
      text += ' extends ' + (functionName(parent) || '(anonymous)');
    }
    return text + ']';
  }

  /**
   * Class constructors have a read-only `prototype`; only then pay for the source text check
   * (builtins like Map also have a read-only `prototype` but their source is not `class ...`).
   */
  function isClass(f: object): boolean {
    const desc = getOwnDesc(f, 'prototype');
    if (desc === undefined || !hasOwn(desc, 'value') || desc.writable) return false;
    const source = fnToString(f);
    if (source.length < 6 || source[0] !== 'c' || source[1] !== 'l' || source[2] !== 'a') return false;
    if (source[3] !== 's' || source[4] !== 's') return false;
    const next = source[5] as string;
    return next <= ' ' || next === '{' || next === '/';
  }

  // ---- proxies ------------------------------------------------------------------------------

  function renderProxy(p: object, level: number): string {
    if (weakMapHas(revokedProxies, p)) return '<Revoked Proxy>';
    for (let i = 0; i < seenLength; i++) {
      if (seen[i] === p) {
        if (seenRefs[i] === 0) seenRefs[i] = ++nextRef;
        return '[Circular *' + seenRefs[i] + ']';
      }
    }
    enter(p);
    return leave('Proxy(' + renderValue(weakMapGet(proxyTargets, p), level) + ')');
  }

  // ---- arrays and array-likes -------------------------------------------------------------------

  function renderArray(a: unknown[], level: number): string {
    const length = a.length;
    const proto = getProto(a);
    // Subclasses show as `Foo(2) [ ... ]`, like util.inspect.
    const name = proto === ArrayProto ? 'Array' : proto === null ? '' : constructorName(a) || 'Array';
    let prefix = '';
    if (proto === null) prefix = '[Array(' + length + '): null prototype] ';
    else if (name !== 'Array' || proto !== ArrayProto) prefix = name + '(' + length + ') ';
    if (level > capDepth) return length === 0 ? prefix + '[]' : '[' + (name || 'Array') + ']';
    enter(a);
    return leave(prefix + brackets(renderIndexed(a, length, level)));
  }

  function renderArguments(o: object, level: number): string {
    const lengthValue = ownData(o, 'length');
    const length = typeof lengthValue === 'number' ? lengthValue : 0;
    if (level > capDepth) return length === 0 ? '[Arguments] []' : '[Arguments]';
    enter(o);
    return leave('[Arguments] ' + brackets(renderIndexed(o, length, level)));
  }

  function brackets(body: string): string {
    return body === '' ? '[]' : '[ ' + body + ' ]';
  }

  /** Elements 0..length-1 read by descriptor; runs of holes as `<N empty items>`. */
  function renderIndexed(o: object, length: number, level: number): string {
    let out = '';
    let shown = 0;
    let i = 0;
    let keys: (string | symbol)[] | undefined;
    let keyCursor = 0;
    while (i < length && shown < capItems) {
      const desc = getOwnDesc(o, i);
      if (desc !== undefined) {
        out += (shown === 0 ? '' : ', ') + renderSlot(desc, level);
        i++;
      } else {
        // Find the next own index from the (ascending) own keys rather than probing every
        // index, so `a[1e9] = 1` stays cheap.
        if (keys === undefined) keys = ownKeys(o);
        let next = length;
        while (keyCursor < keys.length) {
          const key = keys[keyCursor];
          if (typeof key !== 'string') break;
          const index = +key;
          if (!(index >= 0) || '' + index !== key) break; // past the integer keys
          if (index > i) {
            next = index < length ? index : length;
            break;
          }
          keyCursor++;
        }
        const holes = next - i;
        out += (shown === 0 ? '' : ', ') + '<' + holes + (holes === 1 ? ' empty item>' : ' empty items>');
        i = next;
      }
      shown++;
    }
    return out + moreItems(length - i, shown);
  }

  function moreItems(more: number, shown: number): string {
    if (more <= 0) return '';
    return (shown === 0 ? '' : ', ') + '... ' + more + (more === 1 ? ' more item' : ' more items');
  }

  function renderTypedArray(o: object, level: number): string | undefined {
    const name = typedArrayName(o);
    if (name === undefined) return undefined;
    const length = typedArrayLength(o);
    // The builtin prototype is two hops up (Uint8Array.prototype, then %TypedArray%.prototype),
    // so tell subclasses apart by constructor name.
    const label = builtinLabel(o, false, name);
    if (level > capDepth) return length === 0 ? sizedPrefix(label, 0) + '[]' : '[' + label + ']';
    const view = o as ArrayLike<number | bigint>;
    let out = '';
    const shownMax = length < capItems ? length : capItems;
    for (let i = 0; i < shownMax; i++) {
      const element = view[i] as number | bigint;
      out += (i === 0 ? '' : ', ') + (typeof element === 'number' ? formatNumber(element) : '' + element + 'n');
    }
    return sizedPrefix(label, length) + brackets(out + moreItems(length - shownMax, shownMax));
  }

  function renderArrayBuffer(o: object, level: number): string | undefined {
    let byteLength: number;
    try {
      byteLength = arrayBufferByteLength(o);
    } catch {
      return undefined;
    }
    if (level > capDepth) return '[ArrayBuffer]';
    const shownMax = byteLength < capItems ? byteLength : capItems;
    const bytes = construct(Uint8ArrayCtor, [o, 0, shownMax]) as Uint8Array;
    let hex = '';
    for (let i = 0; i < shownMax; i++) {
      const b = bytes[i] as number;
      hex += (i === 0 ? '' : ' ') + (b < 16 ? '0' : '') + numToString(b, 16);
    }
    const more = byteLength - shownMax;
    if (more > 0) hex += (shownMax === 0 ? '' : ' ') + '... ' + more + (more === 1 ? ' more byte' : ' more bytes');
    return 'ArrayBuffer { [Uint8Contents]: <' + hex + '>, byteLength: ' + byteLength + ' }';
  }

  function renderDataView(o: object, level: number): string | undefined {
    let byteLength: number;
    try {
      byteLength = dataViewByteLength(o);
    } catch {
      return undefined;
    }
    if (level > capDepth) return '[DataView]';
    const buffer = renderValue(dataViewBuffer(o), level + 1);
    return 'DataView { byteLength: ' + byteLength + ', byteOffset: ' + dataViewByteOffset(o) + ', buffer: ' + buffer + ' }';
  }

  // ---- Map and Set (through captured iterators, stopping at the cap) -------------------------

  function renderMap(o: object, direct: boolean, level: number): string | undefined {
    let size: number;
    try {
      size = mapSize(o);
    } catch {
      return undefined;
    }
    const label = builtinLabel(o, direct, 'Map');
    if (level > capDepth && size > 0) return '[' + (direct ? 'Map' : constructorName(o) || 'Map') + ']';
    enter(o);
    const iterator = mapEntries(o);
    let body = '';
    let shown = 0;
    while (shown < capItems) {
      const step = mapIterNext(iterator);
      if (step.done) break;
      const entry = step.value;
      body += (shown === 0 ? '' : ', ') + renderValue(entry[0], level + 1) + ' => ' + renderValue(entry[1], level + 1);
      shown++;
    }
    return leave(braces(sizedPrefix(label, size), body + moreItems(size - shown, shown)));
  }

  function renderSet(o: object, direct: boolean, level: number): string | undefined {
    let size: number;
    try {
      size = setSize(o);
    } catch {
      return undefined;
    }
    const label = builtinLabel(o, direct, 'Set');
    if (level > capDepth && size > 0) return '[' + (direct ? 'Set' : constructorName(o) || 'Set') + ']';
    enter(o);
    const iterator = setValues(o);
    let body = '';
    let shown = 0;
    while (shown < capItems) {
      const step = setIterNext(iterator);
      if (step.done) break;
      body += (shown === 0 ? '' : ', ') + renderValue(step.value, level + 1);
      shown++;
    }
    return leave(braces(sizedPrefix(label, size), body + moreItems(size - shown, shown)));
  }

  /** `Map(2) ` or, for subclasses, `MyMap(2) [Map] `. */
  function sizedPrefix(label: string, size: number): string {
    const bracket = strIndexOf(label, ' [');
    if (bracket === -1) return label + '(' + size + ') ';
    return strSlice(label, 0, bracket) + '(' + size + ')' + strSlice(label, bracket) + ' ';
  }

  // ---- arguments objects ------------------------------------------------------------------

  /** Arguments objects own `callee` and the intrinsic %Array.prototype.values% as @@iterator. */
  function isArguments(o: object): boolean {
    return getOwnDesc(o, 'callee') !== undefined && ownData(o, symbolIterator) === arrayValues;
  }

  return { render, isProxy };
}
