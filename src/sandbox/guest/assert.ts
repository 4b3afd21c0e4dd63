/**
 * The in-isolate `node:assert`: what `require('assert')` returns to user code and tests.
 *
 * `createAssert` runs *inside* the isolate; the sandbox injects it as source text, so it must
 * be self-contained (it references nothing outside its own body). Intrinsics it relies on at
 * assertion time are captured when it runs, before user code can replace them
 * (`Object.keys`, `Map.prototype.forEach`, `Array.prototype.push` ...).
 *
 * Semantics follow node's assert (v20): `equal` is `==` with NaN equal to NaN, `deepEqual` the
 * legacy loose comparison, `deepStrictEqual` the strict one. Messages follow node's wording
 * but show values as one-line renderings instead of node's multi-line diff.
 */

export type AssertMessage = string | Error;

/** What `throws`/`rejects` accept to describe the expected error. */
export type ErrorExpectation = RegExp | Function | object;

export interface AssertionErrorOptions {
  message?: AssertMessage;
  actual?: unknown;
  expected?: unknown;
  operator?: string;
  stackStartFn?: Function;
}

export interface AssertionError extends Error {
  name: 'AssertionError';
  code: 'ERR_ASSERTION';
  actual: unknown;
  expected: unknown;
  operator: string | undefined;
  generatedMessage: boolean;
  /** `actual` rendered in the isolate, so the host can show it without copying objects. */
  actualText: string;
  /** `expected` rendered in the isolate. */
  expectedText: string;
}

export interface AssertionErrorConstructor {
  new (options: AssertionErrorOptions): AssertionError;
  readonly prototype: AssertionError;
}

export interface AssertModule {
  (value: unknown, message?: AssertMessage): asserts value;
  ok(value: unknown, message?: AssertMessage): asserts value;
  equal(actual: unknown, expected: unknown, message?: AssertMessage): void;
  notEqual(actual: unknown, expected: unknown, message?: AssertMessage): void;
  strictEqual(actual: unknown, expected: unknown, message?: AssertMessage): void;
  notStrictEqual(actual: unknown, expected: unknown, message?: AssertMessage): void;
  deepEqual(actual: unknown, expected: unknown, message?: AssertMessage): void;
  notDeepEqual(actual: unknown, expected: unknown, message?: AssertMessage): void;
  deepStrictEqual(actual: unknown, expected: unknown, message?: AssertMessage): void;
  notDeepStrictEqual(actual: unknown, expected: unknown, message?: AssertMessage): void;
  throws(fn: () => unknown, expected?: ErrorExpectation | string, message?: AssertMessage): void;
  doesNotThrow(fn: () => unknown, expected?: ErrorExpectation | string, message?: AssertMessage): void;
  rejects(
    promiseOrFn: PromiseLike<unknown> | (() => PromiseLike<unknown>),
    expected?: ErrorExpectation | string,
    message?: AssertMessage,
  ): Promise<void>;
  doesNotReject(
    promiseOrFn: PromiseLike<unknown> | (() => PromiseLike<unknown>),
    expected?: ErrorExpectation | string,
    message?: AssertMessage,
  ): Promise<void>;
  match(value: string, regexp: RegExp, message?: AssertMessage): void;
  doesNotMatch(value: string, regexp: RegExp, message?: AssertMessage): void;
  fail(message?: AssertMessage): never;
  ifError(value: unknown): void;
  AssertionError: AssertionErrorConstructor;
  /** The same API with `equal`, `deepEqual` ... meaning their strict variants; itself callable. */
  strict: AssertModule;
}

/** What the harness learns about each AssertionError this module made, kept where user code cannot reach it. */
export interface AssertionRecord {
  message: string;
  actualText: string;
  expectedText: string;
}

/** What other guest modules (expect) reuse of this one, handed out once and never to user code. */
export interface AssertInternals {
  isDeepStrictEqual(a: unknown, b: unknown): boolean;
  /** The genuine AssertionError class: errors it makes are recorded in `issued`. */
  AssertionError: AssertionErrorConstructor;
}

/**
 * Builds a node:assert-compatible module. `render` is the renderer's `render` bound with
 * default caps; it is used in messages and for `actualText`/`expectedText`. When `issued` is
 * given, every AssertionError constructed is recorded in it (the harness reads the verdict
 * from there, never from the error object, which user code could have changed or imitated).
 * Self-contained: evaluated inside the isolate before user code. Captures intrinsics now.
 */
export function createAssert(
  render: (value: unknown) => string,
  issued?: WeakMap<object, AssertionRecord>,
  shareInternals?: (internals: AssertInternals) => void,
): AssertModule {
  // ---------------------------------------------------------------------------------------
  // Intrinsics. `uncurry(f)(self, ...args)` calls the captured `f` with `self` as `this`.
  // ---------------------------------------------------------------------------------------
  type Method = (self: unknown, ...args: unknown[]) => unknown;
  const FunctionProto = Function.prototype;
  const uncurry = FunctionProto.bind.bind(FunctionProto.call) as unknown as (fn: Function) => Method;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const StringCtor = String;
  const ObjectProto = Object.prototype;
  const objectKeys = Object.keys;
  const objectIs = Object.is;
  const getProto = Object.getPrototypeOf as (o: object) => object | null;
  const getOwnDesc = Object.getOwnPropertyDescriptor;
  const getOwnSymbols = Object.getOwnPropertySymbols;
  const defineProperty = Object.defineProperty;
  const setPrototypeOf = Object.setPrototypeOf;
  const objectCreate = Object.create as (proto: null) => PropertyDescriptor;
  const ownKeys = Reflect.ownKeys;
  const reflectApply = Reflect.apply as (fn: Function, self: unknown, args: ArrayLike<unknown>) => unknown;
  const isArray = Array.isArray;
  const numberIsNaN = Number.isNaN as (value: unknown) => boolean;
  const captureStackTrace = (ErrorCtor as { captureStackTrace?: (target: object, fn?: Function) => void }).captureStackTrace;
  const hasOwnProperty = uncurry(ObjectProto.hasOwnProperty) as (o: unknown, key: PropertyKey) => boolean;
  const propIsEnumerable = uncurry(ObjectProto.propertyIsEnumerable) as (o: unknown, key: PropertyKey) => boolean;
  const isPrototypeOf = uncurry(ObjectProto.isPrototypeOf) as (proto: unknown, o: unknown) => boolean;
  const symbolIterator = Symbol.iterator;
  const symbolToStringTag = Symbol.toStringTag;
  const arrayValues = Array.prototype.values;
  const Uint8ArrayCtor = Uint8Array;
  const construct = Reflect.construct;
  const SetCtor = Set;
  const weakMapSetIssued = issued === undefined ? undefined : (uncurry(WeakMap.prototype.set) as (m: unknown, k: object, v: unknown) => unknown);
  const weakMapGetIssued = issued === undefined ? undefined : (uncurry(WeakMap.prototype.get) as (m: unknown, k: object) => unknown);

  const getterOf = (proto: object, key: PropertyKey): ((self: unknown) => unknown) => {
    const desc = getOwnDesc(proto, key);
    if (desc === undefined || typeof desc.get !== 'function') throw new TypeErrorCtor('ldb assert: missing intrinsic ' + StringCtor(key));
    return uncurry(desc.get) as (self: unknown) => unknown;
  };

  const MapProto = Map.prototype;
  const mapSize = getterOf(MapProto, 'size') as (m: unknown) => number;
  const mapGet = uncurry(MapProto.get) as (m: unknown, k: unknown) => unknown;
  const mapHas = uncurry(MapProto.has) as (m: unknown, k: unknown) => boolean;
  const mapEntries = uncurry(MapProto.entries);
  const mapIterNext = uncurry((getProto(new Map().entries()) as Iterator<unknown>).next) as (it: unknown) => IteratorResult<unknown[]>;
  const SetProto = Set.prototype;
  const setSize = getterOf(SetProto, 'size') as (s: unknown) => number;
  const setHas = uncurry(SetProto.has) as (s: unknown, k: unknown) => boolean;
  const setAdd = uncurry(SetProto.add) as (s: unknown, k: unknown) => unknown;
  const setDelete = uncurry(SetProto.delete) as (s: unknown, k: unknown) => boolean;
  const setValues = uncurry(SetProto.values);
  const setIterNext = uncurry((getProto(new Set().values()) as Iterator<unknown>).next) as (it: unknown) => IteratorResult<unknown>;
  const WeakMapProto = WeakMap.prototype;
  const weakMapHas = uncurry(WeakMapProto.has) as (m: unknown, k: unknown) => boolean;
  const WeakSetProto = WeakSet.prototype;
  const weakSetHas = uncurry(WeakSetProto.has) as (s: unknown, k: unknown) => boolean;
  const DateProto = Date.prototype;
  const dateGetTime = uncurry(DateProto.getTime) as (d: unknown) => number;
  const RegExpProto = RegExp.prototype;
  const regExpSource = getterOf(RegExpProto, 'source') as (r: unknown) => string;
  const regExpFlags = getterOf(RegExpProto, 'flags') as (r: unknown) => string;
  const regExpExec = uncurry(RegExpProto.exec) as (r: unknown, s: string) => unknown;
  const ErrorProto = ErrorCtor.prototype;
  const PromiseProto = Promise.prototype;
  const TypedArrayProto = getProto(Uint8Array.prototype) as object;
  const typedArrayName = getterOf(TypedArrayProto, symbolToStringTag) as (t: unknown) => string | undefined;
  const typedArrayByteLength = getterOf(TypedArrayProto, 'byteLength') as (t: unknown) => number;
  const typedArrayByteOffset = getterOf(TypedArrayProto, 'byteOffset') as (t: unknown) => number;
  const typedArrayBuffer = getterOf(TypedArrayProto, 'buffer') as (t: unknown) => unknown;
  const typedArrayLength = getterOf(TypedArrayProto, 'length') as (t: unknown) => number;
  const ArrayBufferProto = ArrayBuffer.prototype;
  const arrayBufferByteLength = getterOf(ArrayBufferProto, 'byteLength') as (b: unknown) => number;
  const DataViewProto = DataView.prototype;
  const dataViewByteLength = getterOf(DataViewProto, 'byteLength') as (d: unknown) => number;
  const dataViewByteOffset = getterOf(DataViewProto, 'byteOffset') as (d: unknown) => number;
  const dataViewBuffer = getterOf(DataViewProto, 'buffer') as (d: unknown) => unknown;
  const NumberProto = Number.prototype;
  const numberValueOf = uncurry(NumberProto.valueOf) as (n: unknown) => number;
  const StringProto = String.prototype;
  const stringValueOf = uncurry(StringProto.valueOf) as (s: unknown) => string;
  const BooleanProto = Boolean.prototype;
  const booleanValueOf = uncurry(BooleanProto.valueOf) as (b: unknown) => boolean;
  const SymbolProto = Symbol.prototype;
  const symbolValueOf = uncurry(SymbolProto.valueOf) as (s: unknown) => symbol;
  const BigIntProto = BigInt.prototype;
  const bigIntValueOf = uncurry(BigIntProto.valueOf) as (b: unknown) => bigint;

  const NO_EXCEPTION: object = Object.create(null) as object;

  const isObjectLike = (value: unknown): value is object => typeof value === 'object' && value !== null;

  const safeRender = (value: unknown): string => {
    try {
      return render(value);
    } catch {
      return '[unrenderable]';
    }
  };

  /**
   * Internal arrays have no prototype, so index reads and writes cannot reach accessors user
   * code may define on Array.prototype; `push` works on those lists only.
   */
  function newList<T>(): T[] {
    return setPrototypeOf([], null) as T[];
  }

  function push<T>(list: T[], item: T): void {
    list[list.length] = item;
  }

  /** A prototype-less copy of an array we got from an intrinsic (e.g. Object.keys). */
  function copyList<T>(source: T[]): T[] {
    const out = newList<T>();
    for (let i = 0; i < source.length; i++) out[i] = source[i] as T;
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // AssertionError
  // ---------------------------------------------------------------------------------------

  const READABLE_OPERATOR: Record<string, string> = {
    deepStrictEqual: 'Expected values to be strictly deep-equal:',
    strictEqual: 'Expected values to be strictly equal:',
    strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
    deepEqual: 'Expected values to be loosely deep-equal:',
    notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
    notStrictEqual: 'Expected "actual" to be strictly unequal to:',
    notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
    notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
    notIdentical: 'Values have same structure but are not reference-equal:',
    notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
  };

  const isReference = (value: unknown): boolean => isObjectLike(value) || typeof value === 'function';

  /**
   * Node's wording. Where node prints a multi-line `+ actual - expected` diff we print the two
   * one-line renderings; `header` is node's heading or the user's message (node 20 keeps its
   * comparison under a custom message for the strict operators).
   */
  function strictMessage(actual: unknown, expected: unknown, actualText: string, expectedText: string, operator: string, custom: string | undefined): string {
    const objects = operator === 'strictEqual' && ((isObjectLike(actual) && isObjectLike(expected)) || (typeof actual === 'function' && typeof expected === 'function'));
    const header = custom !== undefined ? custom : READABLE_OPERATOR[objects ? 'strictEqualObject' : operator];
    if (actualText === expectedText) {
      if (operator === 'strictEqual') return READABLE_OPERATOR.notIdentical + '\n\n' + actualText + '\n';
      // Our renderings are depth-capped, so equal text does not mean equal structure.
      return header + '\n+ actual - expected\n\n+ ' + actualText + '\n- ' + expectedText + '\n\n(the values differ beyond the rendered depth)';
    }
    const short = actualText.length + expectedText.length <= 12;
    if (short && !isObjectLike(actual) && !isObjectLike(expected) && (actual !== 0 || expected !== 0)) {
      return header + '\n\n' + actualText + ' !== ' + expectedText + '\n';
    }
    return header + '\n+ actual - expected\n\n+ ' + actualText + '\n- ' + expectedText;
  }

  function generatedMessage(actual: unknown, expected: unknown, actualText: string, expectedText: string, operator: unknown): string {
    switch (operator) {
      case 'deepStrictEqual':
      case 'strictEqual':
        return strictMessage(actual, expected, actualText, expectedText, operator, undefined);
      case 'notDeepStrictEqual':
      case 'notStrictEqual': {
        const objects = operator === 'notStrictEqual' && isReference(actual);
        const header = READABLE_OPERATOR[objects ? 'notStrictEqualObject' : operator] as string;
        return header + (actualText.length > 5 ? '\n\n' : ' ') + actualText;
      }
      case 'deepEqual':
        return READABLE_OPERATOR.deepEqual + '\n\n' + actualText + '\n\nshould loosely deep-equal\n\n' + expectedText;
      case 'notDeepEqual':
        return actualText === expectedText
          ? READABLE_OPERATOR.notDeepEqual + '\n\n' + actualText
          : READABLE_OPERATOR.notDeepEqualUnequal + '\n\n' + actualText + '\n\nshould not loosely deep-equal\n\n' + expectedText;
      default:
        return actualText + ' ' + StringCtor(operator) + ' ' + expectedText;
    }
  }

  function errorMessage(actual: unknown, expected: unknown, actualText: string, expectedText: string, operator: unknown, message: unknown): string {
    if (message === undefined || message === null) return generatedMessage(actual, expected, actualText, expectedText, operator);
    if (operator === 'deepStrictEqual' || operator === 'strictEqual') {
      return strictMessage(actual, expected, actualText, expectedText, operator, StringCtor(message));
    }
    return StringCtor(message);
  }

  /** Defines an own, writable data property (never hits setters on the prototype chain). */
  function setField(target: object, key: string, value: unknown, enumerable: boolean): void {
    // A null-prototype descriptor, so an `Object.prototype.get` added by user code is not seen.
    const descriptor = objectCreate(null);
    descriptor.value = value;
    descriptor.writable = true;
    descriptor.enumerable = enumerable;
    descriptor.configurable = true;
    defineProperty(target, key, descriptor);
  }

  // Named like node's so stacks and renderings read `AssertionError`.
  class AssertionError extends ErrorCtor {
    declare actual: unknown;
    declare expected: unknown;
    declare operator: string | undefined;
    declare generatedMessage: boolean;
    declare code: 'ERR_ASSERTION';
    declare actualText: string;
    declare expectedText: string;

    constructor(options: AssertionErrorOptions) {
      if (options === null || typeof options !== 'object') {
        throw new TypeErrorCtor('The "options" argument must be of type object. Received ' + safeRender(options));
      }
      const message = options.message;
      const actual = options.actual;
      const expected = options.expected;
      const operator = options.operator;
      const stackStartFn = options.stackStartFn;
      const actualText = safeRender(actual);
      const expectedText = safeRender(expected);
      const generated = message === undefined || message === null;
      const text = errorMessage(actual, expected, actualText, expectedText, operator, message);
      super(text);
      setField(this, 'name', 'AssertionError', false);
      setField(this, 'generatedMessage', generated, true);
      setField(this, 'code', 'ERR_ASSERTION', true);
      setField(this, 'actual', actual, true);
      setField(this, 'expected', expected, true);
      setField(this, 'operator', operator, true);
      setField(this, 'actualText', actualText, false);
      setField(this, 'expectedText', expectedText, false);
      if (weakMapSetIssued !== undefined) {
        const record = objectCreate(null) as unknown as AssertionRecord;
        record.message = text;
        record.actualText = actualText;
        record.expectedText = expectedText;
        weakMapSetIssued(issued, this, record);
      }
      // Point the stack at the user's call, not at assert internals.
      if (typeof captureStackTrace === 'function') {
        captureStackTrace(this, typeof stackStartFn === 'function' ? stackStartFn : AssertionError);
      }
    }
  }

  interface FailOptions {
    actual: unknown;
    expected: unknown;
    message: unknown;
    operator: string | undefined;
    stackStartFn: Function;
  }

  /** Builds the error from an options object whose every field is own (no prototype reads). */
  function assertionError(options: FailOptions): AssertionError {
    return new AssertionError(options as AssertionErrorOptions);
  }

  /** Throws `message` itself when it is an Error, as node does. */
  function throwIfErrorMessage(message: unknown): void {
    if (isPrototypeOf(ErrorProto, message)) throw message;
  }

  function innerFail(options: FailOptions): never {
    throwIfErrorMessage(options.message);
    throw assertionError(options);
  }

  function missingArguments(): TypeError {
    return argumentError('ERR_MISSING_ARGS', 'The "actual" and "expected" arguments must be specified');
  }

  /** A TypeError with node's `code`, for misuse of the API (not a failed assertion). */
  function argumentError(code: string, text: string): TypeError {
    const error = new TypeErrorCtor(text);
    setField(error, 'code', code, true);
    return error;
  }

  /** Re-renders the texts after `actual`/`expected` were replaced on an existing error. */
  function replaceValues(error: AssertionError, actual: unknown, expected: unknown): void {
    error.actual = actual;
    error.expected = expected;
    error.actualText = safeRender(actual);
    error.expectedText = safeRender(expected);
    const record = weakMapGetIssued === undefined ? undefined : (weakMapGetIssued(issued, error) as AssertionRecord | undefined);
    if (record !== undefined) {
      record.actualText = error.actualText;
      record.expectedText = error.expectedText;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Classification: the builtin "kind" of an object, by prototype chain plus a brand check
  // (fast for the plain objects and arrays that dominate test data).
  // ---------------------------------------------------------------------------------------

  function brand(check: (self: unknown, arg?: unknown) => unknown, value: object): boolean {
    try {
      check(value, NO_EXCEPTION);
      return true;
    } catch {
      return false;
    }
  }

  function builtinKind(value: object, proto: object): string | null | undefined {
    if (proto === MapProto) return brand(mapSize, value) ? 'Map' : undefined;
    if (proto === SetProto) return brand(setSize, value) ? 'Set' : undefined;
    if (proto === DateProto) return brand(dateGetTime, value) ? 'Date' : undefined;
    if (proto === RegExpProto) return brand(regExpSource, value) ? 'RegExp' : undefined;
    if (proto === ErrorProto) return 'Error';
    if (proto === TypedArrayProto) return typedArrayName(value);
    if (proto === ArrayBufferProto) return brand(arrayBufferByteLength, value) ? 'ArrayBuffer' : undefined;
    if (proto === DataViewProto) return brand(dataViewByteLength, value) ? 'DataView' : undefined;
    if (proto === NumberProto) return brand(numberValueOf, value) ? 'Number' : undefined;
    if (proto === StringProto) return brand(stringValueOf, value) ? 'String' : undefined;
    if (proto === BooleanProto) return brand(booleanValueOf, value) ? 'Boolean' : undefined;
    if (proto === SymbolProto) return brand(symbolValueOf, value) ? 'Symbol' : undefined;
    if (proto === BigIntProto) return brand(bigIntValueOf, value) ? 'BigInt' : undefined;
    if (proto === WeakMapProto) return brand(weakMapHas, value) ? 'WeakMap' : undefined;
    if (proto === WeakSetProto) return brand(weakSetHas, value) ? 'WeakSet' : undefined;
    if (proto === PromiseProto) return 'Promise';
    return null;
  }

  /** Like node's `Object.prototype.toString` tag comparison: kinds must match to be equal. */
  function kindOf(value: object): string {
    if (isArray(value)) return 'Array';
    let p = getProto(value);
    if (p === ObjectProto) {
      if (getOwnDesc(value, 'callee') !== undefined && ownDataValue(value, symbolIterator) === arrayValues) return 'Arguments';
    } else {
      for (let hops = 0; p !== null && p !== ObjectProto && hops < 100; hops++) {
        const kind = builtinKind(value, p);
        if (kind !== null) {
          if (kind !== undefined) return kind;
          break;
        }
        p = getProto(p);
      }
    }
    // User-visible tag, as Object.prototype.toString would read it.
    const tag = (value as { [key: symbol]: unknown })[symbolToStringTag];
    return typeof tag === 'string' ? 'Object:' + tag : 'Object';
  }

  function ownDataValue(o: object, key: PropertyKey): unknown {
    const desc = getOwnDesc(o, key);
    return desc !== undefined && hasOwnProperty(desc, 'value') ? desc.value : undefined;
  }

  // ---------------------------------------------------------------------------------------
  // Deep equality: a port of node's lib/internal/util/comparisons.js (v20.20), with
  // Set/Map/`new SafeSet()` replaced by captured intrinsics and prototype-less lists.
  // ---------------------------------------------------------------------------------------

  const ITERATE_NONE = 0;
  const ITERATE_ARRAY = 1;
  const ITERATE_SET = 2;
  const ITERATE_MAP = 3;

  /** Cycle bookkeeping, as node's: the first pairs in fields, a Set only once nesting is deep. */
  interface Memos {
    set: Set<unknown> | undefined;
    a: unknown;
    b: unknown;
    c: unknown;
    d: unknown;
    deep: boolean;
    deleteFailures: boolean;
  }

  function isDeepEqual(a: unknown, b: unknown): boolean {
    return innerDeepEqual(a, b, false, undefined);
  }

  function isDeepStrictEqual(a: unknown, b: unknown): boolean {
    return innerDeepEqual(a, b, true, undefined);
  }

  function innerDeepEqual(a: unknown, b: unknown, strict: boolean, memos: Memos | undefined): boolean {
    if (a === b) return a !== 0 || objectIs(a, b) || !strict;
    if (strict) {
      if (typeof a === 'number') return numberIsNaN(a) && numberIsNaN(b);
      if (!isObjectLike(a) || !isObjectLike(b) || getProto(a) !== getProto(b)) return false;
    } else {
      if (!isObjectLike(a)) {
        // eslint-disable-next-line eqeqeq -- the legacy loose comparison, on primitives only
        if (!isObjectLike(b)) return a == b || (numberIsNaN(a) && numberIsNaN(b));
        return false;
      }
      if (!isObjectLike(b)) return false;
    }
    const kind = kindOf(a);
    if (kind !== kindOf(b)) return false;
    return compareObjects(a, b, kind, strict, memos);
  }

  function compareObjects(a: object, b: object, kind: string, strict: boolean, memos: Memos | undefined): boolean {
    switch (kind) {
      case 'Array': {
        if ((a as unknown[]).length !== (b as unknown[]).length) return false;
        const keysA = nonIndexKeys(a, strict);
        if (keysA.length !== nonIndexKeys(b, strict).length) return false;
        return keyCheck(a, b, strict, memos, ITERATE_ARRAY, keysA);
      }
      case 'Object':
        return keyCheck(a, b, strict, memos, ITERATE_NONE, undefined);
      case 'Date':
        if (dateGetTime(a) !== dateGetTime(b)) return false;
        break;
      case 'RegExp':
        if (!similarRegExps(a, b)) return false;
        break;
      case 'DataView':
        if (!similarViews(a, b, dataViewBuffer, dataViewByteOffset, dataViewByteLength)) return false;
        return keyCheckNonIndex(a, b, strict, memos);
      case 'Set':
        if (setSize(a) !== setSize(b)) return false;
        return keyCheck(a, b, strict, memos, ITERATE_SET, undefined);
      case 'Map':
        if (mapSize(a) !== mapSize(b)) return false;
        return keyCheck(a, b, strict, memos, ITERATE_MAP, undefined);
      case 'ArrayBuffer':
        if (!equalBytes(a, 0, arrayBufferByteLength(a), b, 0, arrayBufferByteLength(b))) return false;
        break;
      case 'Error':
        if (!similarErrors(a as Error, b as Error, strict, memos)) return false;
        break;
      case 'Number':
        if (!objectIs(numberValueOf(a), numberValueOf(b))) return false;
        break;
      case 'String':
        if (stringValueOf(a) !== stringValueOf(b)) return false;
        break;
      case 'Boolean':
        if (booleanValueOf(a) !== booleanValueOf(b)) return false;
        break;
      case 'BigInt':
        if (bigIntValueOf(a) !== bigIntValueOf(b)) return false;
        break;
      case 'Symbol':
        if (symbolValueOf(a) !== symbolValueOf(b)) return false;
        break;
      default:
        if (typedArrayName(a) !== undefined) {
          if (!similarTypedArrays(a, b, kind, strict)) return false;
          return keyCheckNonIndex(a, b, strict, memos);
        }
    }
    return keyCheck(a, b, strict, memos, ITERATE_NONE, undefined);
  }

  /** Views compare their own non-index keys only, like node. */
  function keyCheckNonIndex(a: object, b: object, strict: boolean, memos: Memos | undefined): boolean {
    const keysA = nonIndexKeys(a, strict);
    if (keysA.length !== nonIndexKeys(b, strict).length) return false;
    return keyCheck(a, b, strict, memos, ITERATE_NONE, keysA);
  }

  function similarRegExps(a: object, b: object): boolean {
    return (
      regExpSource(a) === regExpSource(b) &&
      regExpFlags(a) === regExpFlags(b) &&
      (a as RegExp).lastIndex === (b as RegExp).lastIndex
    );
  }

  /** message/name/cause/errors: compared here when not enumerable (enumerable ones are keys). */
  function similarErrors(a: Error, b: Error, strict: boolean, memos: Memos | undefined): boolean {
    const messageEnumerable = propIsEnumerable(a, 'message');
    const nameEnumerable = propIsEnumerable(a, 'name');
    const causeEnumerable = propIsEnumerable(a, 'cause');
    const errorsEnumerable = propIsEnumerable(a, 'errors');
    const withExtras = a as { cause?: unknown; errors?: unknown };
    const otherExtras = b as { cause?: unknown; errors?: unknown };
    return !(
      messageEnumerable !== propIsEnumerable(b, 'message') ||
      (!messageEnumerable && a.message !== b.message) ||
      nameEnumerable !== propIsEnumerable(b, 'name') ||
      (!nameEnumerable && a.name !== b.name) ||
      causeEnumerable !== propIsEnumerable(b, 'cause') ||
      (!causeEnumerable && !innerDeepEqual(withExtras.cause, otherExtras.cause, strict, memos)) ||
      errorsEnumerable !== propIsEnumerable(b, 'errors') ||
      (!errorsEnumerable && !innerDeepEqual(withExtras.errors, otherExtras.errors, strict, memos))
    );
  }

  /** Loose mode compares float arrays by value (0 == -0, NaN != NaN); otherwise bytes. */
  function similarTypedArrays(a: object, b: object, kind: string, strict: boolean): boolean {
    if (strict || (kind !== 'Float32Array' && kind !== 'Float64Array')) {
      return similarViews(a, b, typedArrayBuffer, typedArrayByteOffset, typedArrayByteLength);
    }
    const length = typedArrayLength(a);
    if (typedArrayByteLength(a) !== typedArrayByteLength(b)) return false;
    const va = a as ArrayLike<number>;
    const vb = b as ArrayLike<number>;
    for (let i = 0; i < length; i++) if (va[i] !== vb[i]) return false;
    return true;
  }

  function similarViews(
    a: object,
    b: object,
    buffer: (view: unknown) => unknown,
    offset: (view: unknown) => number,
    length: (view: unknown) => number,
  ): boolean {
    return equalBytes(buffer(a), offset(a), length(a), buffer(b), offset(b), length(b));
  }

  function equalBytes(bufferA: unknown, offsetA: number, lengthA: number, bufferB: unknown, offsetB: number, lengthB: number): boolean {
    if (lengthA !== lengthB) return false;
    const va = construct(Uint8ArrayCtor, [bufferA, offsetA, lengthA]) as Uint8Array;
    const vb = construct(Uint8ArrayCtor, [bufferB, offsetB, lengthB]) as Uint8Array;
    for (let i = 0; i < lengthA; i++) if (va[i] !== vb[i]) return false;
    return true;
  }

  /** Own enumerable keys that are not array indices (symbols too in strict mode). */
  function nonIndexKeys(o: object, strict: boolean): PropertyKey[] {
    const keys = ownKeys(o);
    const out = newList<PropertyKey>();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string | symbol;
      if (typeof key === 'string') {
        const index = +key;
        if (index >= 0 && index < 4294967295 && '' + index === key) continue;
      } else if (!strict) {
        continue;
      }
      if (propIsEnumerable(o, key)) push(out, key);
    }
    return out;
  }

  function enumerableSymbolCount(o: object, symbols: symbol[]): number {
    let count = 0;
    for (let i = 0; i < symbols.length; i++) if (propIsEnumerable(o, symbols[i] as symbol)) count++;
    return count;
  }

  /**
   * Strict mode: enumerable own symbols must match. Returns `keysA` plus a's enumerable
   * symbols (a copy when any were added), or null when the symbols differ.
   */
  function withEnumerableSymbols(a: object, b: object, keysA: PropertyKey[]): PropertyKey[] | null {
    const symbolsA = getOwnSymbols(a);
    if (symbolsA.length === 0) {
      const symbolsB = getOwnSymbols(b);
      return symbolsB.length === 0 || enumerableSymbolCount(b, symbolsB) === 0 ? keysA : null;
    }
    const keys = copyList(keysA);
    let count = 0;
    for (let i = 0; i < symbolsA.length; i++) {
      const key = symbolsA[i] as symbol;
      if (propIsEnumerable(a, key)) {
        if (!propIsEnumerable(b, key)) return null;
        push(keys, key);
        count++;
      } else if (propIsEnumerable(b, key)) {
        return null;
      }
    }
    const symbolsB = getOwnSymbols(b);
    return symbolsA.length === symbolsB.length || enumerableSymbolCount(b, symbolsB) === count ? keys : null;
  }

  function keyCheck(
    a: object,
    b: object,
    strict: boolean,
    memos: Memos | undefined,
    iteration: number,
    givenKeys: PropertyKey[] | undefined,
  ): boolean {
    const arrayLike = givenKeys !== undefined;
    let keysA: PropertyKey[] = givenKeys === undefined ? objectKeys(a) : givenKeys;
    for (let i = 0; i < keysA.length; i++) if (!propIsEnumerable(b, keysA[i] as PropertyKey)) return false;
    if (!arrayLike) {
      if (keysA.length !== objectKeys(b).length) return false;
      if (strict) {
        const withSymbols = withEnumerableSymbols(a, b, keysA);
        if (withSymbols === null) return false;
        keysA = withSymbols;
      }
    }
    if (keysA.length === 0 && isTriviallyEmpty(a, iteration)) return true;

    if (memos === undefined) {
      const first: Memos = { set: undefined, a, b, c: undefined, d: undefined, deep: false, deleteFailures: false };
      return objectEquivalent(a, b, strict, keysA, first, iteration);
    }
    if (memos.set === undefined) {
      if (!memos.deep) {
        if (memos.a === a && memos.b === b) return true;
        memos.c = a;
        memos.d = b;
        memos.deep = true;
        const result = objectEquivalent(a, b, strict, keysA, memos, iteration);
        memos.deep = false;
        return result;
      }
      const set = new SetCtor<unknown>();
      setAdd(set, memos.a);
      setAdd(set, memos.b);
      setAdd(set, memos.c);
      setAdd(set, memos.d);
      memos.set = set;
    }
    const set = memos.set;
    const sizeBefore = setSize(set);
    setAdd(set, a);
    setAdd(set, b);
    // Both already under comparison: a cycle, assumed equal (the outer comparison decides).
    if (setSize(set) === sizeBefore) return true;
    const equal = objectEquivalent(a, b, strict, keysA, memos, iteration);
    if (equal || memos.deleteFailures) {
      setDelete(set, a);
      setDelete(set, b);
    }
    return equal;
  }

  function isTriviallyEmpty(a: object, iteration: number): boolean {
    if (iteration === ITERATE_NONE) return true;
    if (iteration === ITERATE_ARRAY) return (a as unknown[]).length === 0;
    return iteration === ITERATE_MAP ? mapSize(a) === 0 : setSize(a) === 0;
  }

  function objectEquivalent(a: object, b: object, strict: boolean, keys: PropertyKey[], memos: Memos, iteration: number): boolean {
    const recordA = a as Record<PropertyKey, unknown>;
    const recordB = b as Record<PropertyKey, unknown>;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as PropertyKey;
      if (!innerDeepEqual(recordA[key], recordB[key], strict, memos)) return false;
    }
    if (iteration === ITERATE_ARRAY) return arraysEquivalent(a as unknown[], b as unknown[], strict, memos);
    if (iteration === ITERATE_SET) return setEquivalent(a, b, strict, memos);
    if (iteration === ITERATE_MAP) return mapEquivalent(a, b, strict, memos);
    return true;
  }

  function arraysEquivalent(a: unknown[], b: unknown[], strict: boolean, memos: Memos): boolean {
    for (let i = 0; i < a.length; i++) {
      if (hasOwnProperty(a, i)) {
        if (!hasOwnProperty(b, i) || !innerDeepEqual(a[i], b[i], strict, memos)) return false;
      } else if (hasOwnProperty(b, i)) {
        return false;
      } else {
        // Both have a hole here: compare the rest by keys.
        const keysA = objectKeys(a);
        const recordA = a as unknown as Record<string, unknown>;
        const recordB = b as unknown as Record<string, unknown>;
        for (; i < keysA.length; i++) {
          const key = keysA[i] as string;
          if (!hasOwnProperty(b, key) || !innerDeepEqual(recordA[key], recordB[key], strict, memos)) return false;
        }
        return keysA.length === objectKeys(b).length;
      }
    }
    return true;
  }

  function setElements(s: object): unknown[] {
    const out = newList<unknown>();
    const iterator = setValues(s);
    for (;;) {
      const step = setIterNext(iterator);
      if (step.done) return out;
      push(out, step.value);
    }
  }

  function mapEntryList(m: object): { keys: unknown[]; values: unknown[] } {
    const keys = newList<unknown>();
    const values = newList<unknown>();
    const iterator = mapEntries(m);
    for (;;) {
      const step = mapIterNext(iterator);
      if (step.done) return { keys, values };
      push(keys, step.value[0]);
      push(values, step.value[1]);
    }
  }

  /** Removes `pool[i]` (order is irrelevant: the pool stands in for node's SafeSet). */
  function removeAt(pool: unknown[], i: number): void {
    pool[i] = pool[pool.length - 1];
    pool.length--;
  }

  function setHasEqualElement(pool: unknown[], value: unknown, strict: boolean, memos: Memos): boolean {
    const deleteFailures = memos.deleteFailures;
    memos.deleteFailures = true;
    for (let i = 0; i < pool.length; i++) {
      if (innerDeepEqual(pool[i], value, strict, memos)) {
        removeAt(pool, i);
        memos.deleteFailures = deleteFailures;
        return true;
      }
    }
    memos.deleteFailures = deleteFailures;
    return false;
  }

  /**
   * For a primitive missing from the other collection: true/false when a loose match is
   * possible/impossible, or the one primitive (null/undefined) that could match it loosely.
   */
  function looseMatchCandidate(prim: unknown): boolean | null | undefined {
    switch (typeof prim) {
      case 'undefined':
        return null;
      case 'object':
        return undefined; // only null gets here
      case 'symbol':
        return false;
      case 'string':
        return !numberIsNaN(+prim);
      case 'number':
        return !numberIsNaN(prim);
      default:
        return true;
    }
  }

  function setMightHaveLoosePrimitive(a: object, b: object, prim: unknown): boolean {
    const alternative = looseMatchCandidate(prim);
    if (alternative !== null && alternative !== undefined) return alternative;
    return setHas(b, alternative) && !setHas(a, alternative);
  }

  function mapMightHaveLoosePrimitive(a: object, b: object, prim: unknown, item: unknown, memos: Memos): boolean {
    const alternative = looseMatchCandidate(prim);
    if (alternative !== null && alternative !== undefined) return alternative;
    const itemB = mapGet(b, alternative);
    if ((itemB === undefined && !mapHas(b, alternative)) || !innerDeepEqual(item, itemB, false, memos)) return false;
    return !mapHas(a, alternative) && innerDeepEqual(item, itemB, false, memos);
  }

  function setEquivalent(a: object, b: object, strict: boolean, memos: Memos): boolean {
    // Elements of `a` without an identical element in `b`; they need a deep (or loose) partner.
    let pending: unknown[] | null = null;
    const elementsA = setElements(a);
    for (let i = 0; i < elementsA.length; i++) {
      const value = elementsA[i];
      if (setHas(b, value)) continue;
      if (!isObjectLike(value) && (strict || !setMightHaveLoosePrimitive(a, b, value))) return false;
      if (pending === null) {
        if (setSize(b) === 1) return innerDeepEqual(value, setElements(b)[0], strict, memos);
        pending = newList();
      }
      push(pending, value);
    }
    if (pending === null) return true;
    const elementsB = setElements(b);
    for (let i = 0; i < elementsB.length; i++) {
      const value = elementsB[i];
      if (isObjectLike(value)) {
        if (!setHas(a, value) && !setHasEqualElement(pending, value, strict, memos)) return false;
      } else if (!strict && !setHas(a, value) && !setHasEqualElement(pending, value, strict, memos)) {
        return false;
      }
    }
    return pending.length === 0;
  }

  /** Considers every pending key, to handle Map([[{}, 'a'], [{}, 'b']]) vs the reverse. */
  function mapHasEqualEntry(pool: unknown[], map: object, key: unknown, item: unknown, strict: boolean, memos: Memos): boolean {
    const deleteFailures = memos.deleteFailures;
    memos.deleteFailures = true;
    for (let i = 0; i < pool.length; i++) {
      const candidate = pool[i];
      if (innerDeepEqual(candidate, key, strict, memos) && innerDeepEqual(mapGet(map, candidate), item, strict, memos)) {
        removeAt(pool, i);
        memos.deleteFailures = deleteFailures;
        return true;
      }
    }
    memos.deleteFailures = deleteFailures;
    return false;
  }

  function mapEquivalent(a: object, b: object, strict: boolean, memos: Memos): boolean {
    let pending: unknown[] | null = null;
    const entriesA = mapEntryList(a);
    for (let i = 0; i < entriesA.keys.length; i++) {
      const key = entriesA.keys[i];
      const itemA = entriesA.values[i];
      if (isObjectLike(key)) {
        if (pending === null) {
          if (mapSize(b) === 1) {
            const entriesB = mapEntryList(b);
            return innerDeepEqual(key, entriesB.keys[0], strict, memos) && innerDeepEqual(itemA, entriesB.values[0], strict, memos);
          }
          pending = newList();
        }
        push(pending, key);
        continue;
      }
      const itemB = mapGet(b, key);
      if ((itemB === undefined && !mapHas(b, key)) || !innerDeepEqual(itemA, itemB, strict, memos)) {
        if (strict || !mapMightHaveLoosePrimitive(a, b, key, itemA, memos)) return false;
        if (pending === null) pending = newList();
        push(pending, key);
      }
    }
    if (pending === null) return true;
    const entriesB = mapEntryList(b);
    for (let i = 0; i < entriesB.keys.length; i++) {
      const key = entriesB.keys[i];
      const item = entriesB.values[i];
      if (isObjectLike(key)) {
        if (!mapHasEqualEntry(pending, a, key, item, strict, memos)) return false;
      } else if (
        !strict &&
        (!mapHas(a, key) || !innerDeepEqual(mapGet(a, key), item, strict, memos)) &&
        !mapHasEqualEntry(pending, a, key, item, strict, memos)
      ) {
        return false;
      }
    }
    return pending.length === 0;
  }

  // ---------------------------------------------------------------------------------------
  // Comparison assertions
  // ---------------------------------------------------------------------------------------

  // Explicit parameters plus `arguments.length` (not rest arrays): reading a missing element of
  // a rest array would reach Array.prototype.
  function fail(actualIn?: unknown, expected?: unknown, messageIn?: unknown, operatorIn?: unknown, stackStartFn?: unknown): never {
    let actual = actualIn;
    let message = messageIn;
    let operator = operatorIn;
    let generated = false;
    if (arguments.length <= 1) {
      // fail() / fail(message): the modern form.
      message = actual;
      actual = undefined;
      if (message === undefined || message === null) {
        message = 'Failed';
        generated = true;
      }
    } else if (arguments.length === 2) {
      operator = '!='; // legacy fail(actual, expected)
    }
    throwIfErrorMessage(message);
    const error = assertionError({
      actual,
      expected,
      message,
      operator: operator === undefined ? 'fail' : StringCtor(operator),
      stackStartFn: typeof stackStartFn === 'function' ? stackStartFn : fail,
    });
    if (generated) error.generatedMessage = true;
    throw error;
  }

  function innerOk(stackStartFn: Function, argumentCount: number, value: unknown, message: unknown): void {
    if (value) return;
    let text = message;
    let generated = false;
    if (argumentCount === 0) {
      text = 'No value argument passed to `assert.ok()`';
      generated = true;
    } else if (message === undefined || message === null) {
      text = safeRender(value) + ' == true';
      generated = true;
    } else {
      throwIfErrorMessage(message);
    }
    const error = assertionError({ actual: value, expected: true, message: text, operator: '==', stackStartFn });
    error.generatedMessage = generated;
    throw error;
  }

  function ok(value?: unknown, message?: unknown): void {
    innerOk(ok, arguments.length, value, message);
  }

  function strict(value?: unknown, message?: unknown): void {
    innerOk(strict, arguments.length, value, message);
  }

  function equal(actual: unknown, expected: unknown, message?: AssertMessage): void {
    if (arguments.length < 2) throw missingArguments();
    // eslint-disable-next-line eqeqeq -- node's assert.equal is ==
    if (actual != expected && (!numberIsNaN(actual) || !numberIsNaN(expected))) {
      innerFail({ actual, expected, message, operator: '==', stackStartFn: equal });
    }
  }

  function notEqual(actual: unknown, expected: unknown, message?: AssertMessage): void {
    if (arguments.length < 2) throw missingArguments();
    // eslint-disable-next-line eqeqeq -- node's assert.notEqual is !=
    if (actual == expected || (numberIsNaN(actual) && numberIsNaN(expected))) {
      innerFail({ actual, expected, message, operator: '!=', stackStartFn: notEqual });
    }
  }

  function strictEqual(actual: unknown, expected: unknown, message?: AssertMessage): void {
    if (arguments.length < 2) throw missingArguments();
    if (!objectIs(actual, expected)) innerFail({ actual, expected, message, operator: 'strictEqual', stackStartFn: strictEqual });
  }

  function notStrictEqual(actual: unknown, expected: unknown, message?: AssertMessage): void {
    if (arguments.length < 2) throw missingArguments();
    if (objectIs(actual, expected)) innerFail({ actual, expected, message, operator: 'notStrictEqual', stackStartFn: notStrictEqual });
  }

  function deepEqual(actual: unknown, expected: unknown, message?: AssertMessage): void {
    if (arguments.length < 2) throw missingArguments();
    if (!isDeepEqual(actual, expected)) innerFail({ actual, expected, message, operator: 'deepEqual', stackStartFn: deepEqual });
  }

  function notDeepEqual(actual: unknown, expected: unknown, message?: AssertMessage): void {
    if (arguments.length < 2) throw missingArguments();
    if (isDeepEqual(actual, expected)) innerFail({ actual, expected, message, operator: 'notDeepEqual', stackStartFn: notDeepEqual });
  }

  function deepStrictEqual(actual: unknown, expected: unknown, message?: AssertMessage): void {
    if (arguments.length < 2) throw missingArguments();
    if (!isDeepStrictEqual(actual, expected)) {
      innerFail({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn: deepStrictEqual });
    }
  }

  function notDeepStrictEqual(actual: unknown, expected: unknown, message?: AssertMessage): void {
    if (arguments.length < 2) throw missingArguments();
    if (isDeepStrictEqual(actual, expected)) {
      innerFail({ actual, expected, message, operator: 'notDeepStrictEqual', stackStartFn: notDeepStrictEqual });
    }
  }

  // ---------------------------------------------------------------------------------------
  // throws / rejects
  // ---------------------------------------------------------------------------------------

  function isRegExp(value: unknown): value is RegExp {
    if (!isObjectLike(value)) return false;
    return brand(regExpSource, value) && value !== RegExpProto;
  }

  function isError(value: unknown): boolean {
    return isPrototypeOf(ErrorProto, value);
  }

  function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
    if (isPrototypeOf(PromiseProto, value)) return true;
    if (!isObjectLike(value)) return false;
    const candidate = value as { then?: unknown; catch?: unknown };
    return typeof candidate.then === 'function' && typeof candidate.catch === 'function';
  }

  function getActual(fn: unknown): unknown {
    if (typeof fn !== 'function') {
      throw argumentError('ERR_INVALID_ARG_TYPE', 'The "fn" argument must be of type function. Received ' + safeRender(fn));
    }
    try {
      reflectApply(fn, undefined, []);
    } catch (error) {
      return error;
    }
    return NO_EXCEPTION;
  }

  async function waitForActual(promiseOrFn: unknown): Promise<unknown> {
    let promise: unknown;
    if (typeof promiseOrFn === 'function') {
      promise = reflectApply(promiseOrFn, undefined, []);
      if (!isPromiseLike(promise)) {
        throw argumentError(
          'ERR_INVALID_RETURN_VALUE',
          'Expected instance of Promise to be returned from the "promiseFn" function but got ' + safeRender(promise) + '.',
        );
      }
    } else if (isPromiseLike(promiseOrFn)) {
      promise = promiseOrFn;
    } else {
      throw argumentError(
        'ERR_INVALID_ARG_TYPE',
        'The "promiseFn" argument must be of type function or an instance of Promise. Received ' + safeRender(promiseOrFn),
      );
    }
    try {
      await promise;
    } catch (error) {
      return error;
    }
    return NO_EXCEPTION;
  }

  function functionName(fn: unknown): string {
    if (typeof fn !== 'function') return '';
    const name = ownDataValue(fn, 'name');
    return typeof name === 'string' ? name : '';
  }

  function expectsError(stackStartFn: Function, actual: unknown, argumentCount: number, expectedIn: unknown, messageIn: unknown): void {
    let expected = expectedIn;
    let message = messageIn;
    if (typeof expected === 'string') {
      if (argumentCount === 2) {
        throw argumentError(
          'ERR_INVALID_ARG_TYPE',
          'The "error" argument must be of type function or an instance of Error, RegExp, or Object. Received ' + safeRender(expected),
        );
      }
      message = expected;
      expected = undefined;
    } else if (expected !== undefined && expected !== null && typeof expected !== 'object' && typeof expected !== 'function') {
      throw argumentError(
        'ERR_INVALID_ARG_TYPE',
        'The "error" argument must be of type function or an instance of Error, RegExp, or Object. Received ' + safeRender(expected),
      );
    }
    const operator = functionName(stackStartFn);
    if (actual === NO_EXCEPTION) {
      const expectedName = typeof expected === 'function' ? functionName(expected) : '';
      let details = expectedName !== '' ? ' (' + expectedName + ')' : '';
      details += message !== undefined && message !== null && message !== '' ? ': ' + StringCtor(message) : '.';
      const what = stackStartFn === rejects ? 'rejection' : 'exception';
      throwIfErrorMessage(message);
      throw assertionError({ actual: undefined, expected, message: 'Missing expected ' + what + details, operator, stackStartFn });
    }
    if (!expected) return;
    checkExpectedError(actual, expected, message, stackStartFn, operator);
  }

  function checkExpectedError(actual: unknown, expected: object, message: unknown, stackStartFn: Function, operator: string): void {
    let text = message;
    if (typeof expected !== 'function') {
      if (isRegExp(expected)) {
        const input = StringCtor(actual);
        if (regExpExec(expected, input) !== null) return;
        if (!text) text = 'The input did not match the regular expression ' + safeRender(expected) + '. Input:\n\n' + safeRender(input) + '\n';
      } else if (!isObjectLike(actual)) {
        throwIfErrorMessage(message);
        const error = assertionError({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn });
        error.operator = operator;
        throw error;
      } else {
        checkErrorProperties(actual, expected, message, stackStartFn, operator);
        return;
      }
    } else {
      const prototype = (expected as { prototype?: unknown }).prototype;
      if (prototype !== undefined && actual instanceof (expected as new () => unknown)) return;
      if (isPrototypeOf(ErrorCtor, expected)) {
        if (!text) text = wrongClassMessage(actual, expected);
      } else {
        const result = reflectApply(expected, {}, [actual]);
        if (result === true) return;
        if (!text) text = validationMessage(actual, expected, result);
      }
    }
    throwIfErrorMessage(message);
    const error = assertionError({ actual, expected, message: text, operator, stackStartFn });
    error.generatedMessage = !message;
    throw error;
  }

  function wrongClassMessage(actual: unknown, expected: Function): string {
    let text = 'The error is expected to be an instance of "' + functionName(expected) + '". Received ';
    if (isError(actual)) {
      const error = actual as Error;
      const constructorName = functionName((error as { constructor?: unknown }).constructor);
      const name = constructorName || error.name;
      text += functionName(expected) === name ? 'an error with identical name but a different prototype.' : '"' + name + '"';
      if (error.message) text += '\n\nError message:\n\n' + StringCtor(error.message);
    } else {
      text += '"' + safeRender(actual) + '"';
    }
    return text;
  }

  function validationMessage(actual: unknown, expected: Function, result: unknown): string {
    const name = functionName(expected);
    let text = 'The ' + (name !== '' ? '"' + name + '" ' : '') + 'validation function is expected to return "true". Received ' + safeRender(result);
    if (isError(actual)) text += '\n\nCaught error:\n\n' + safeRender(actual);
    return text;
  }

  /** `throws(fn, { message: 'x', code: /E/ })`: every listed key must match, like node. */
  function checkErrorProperties(actual: object, expected: object, message: unknown, stackStartFn: Function, operator: string): void {
    const keys = copyList(objectKeys(expected));
    if (isError(expected)) {
      push(keys, 'name');
      push(keys, 'message');
    } else if (keys.length === 0) {
      throw argumentError('ERR_INVALID_ARG_VALUE', "The argument 'error' may not be an empty object. Received {}");
    }
    const actualRecord = actual as Record<string, unknown>;
    const expectedRecord = expected as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const actualValue = actualRecord[key];
      const expectedValue = expectedRecord[key];
      if (typeof actualValue === 'string' && isRegExp(expectedValue) && regExpExec(expectedValue, actualValue) !== null) continue;
      if (key in actual && isDeepStrictEqual(actualValue, expectedValue)) continue;
      throwIfErrorMessage(message);
      if (message) throw assertionError({ actual, expected, message, operator, stackStartFn });
      // Compare only the listed keys, so the message shows what differed.
      const error = assertionError({
        actual: pickKeys(actual, keys),
        expected: pickKeys(expected, keys),
        message: undefined,
        operator: 'deepStrictEqual',
        stackStartFn,
      });
      replaceValues(error, actual, expected);
      error.operator = operator;
      throw error;
    }
  }

  function pickKeys(source: object, keys: string[]): object {
    const out = {};
    const record = source as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (key in source) setField(out, key, record[key], true);
    }
    return out;
  }

  function expectsNoError(stackStartFn: Function, actual: unknown, expectedIn: unknown, messageIn: unknown): void {
    if (actual === NO_EXCEPTION) return;
    let expected = expectedIn;
    let message = messageIn;
    if (typeof expected === 'string') {
      message = expected;
      expected = undefined;
    }
    if (!expected || hasMatchingError(actual, expected)) {
      const details = message ? ': ' + StringCtor(message) : '.';
      const what = stackStartFn === doesNotReject ? 'rejection' : 'exception';
      const actualMessage = isObjectLike(actual) ? (actual as { message?: unknown }).message : undefined;
      throwIfErrorMessage(message);
      throw assertionError({
        actual,
        expected,
        message: 'Got unwanted ' + what + details + '\nActual message: "' + StringCtor(actualMessage) + '"',
        operator: functionName(stackStartFn),
        stackStartFn,
      });
    }
    throw actual;
  }

  function hasMatchingError(actual: unknown, expected: unknown): boolean {
    if (typeof expected !== 'function') {
      if (isRegExp(expected)) return regExpExec(expected, StringCtor(actual)) !== null;
      throw argumentError(
        'ERR_INVALID_ARG_TYPE',
        'The "expected" argument must be of type function or an instance of RegExp. Received ' + safeRender(expected),
      );
    }
    const prototype = (expected as { prototype?: unknown }).prototype;
    if (prototype !== undefined && actual instanceof (expected as new () => unknown)) return true;
    if (isPrototypeOf(ErrorCtor, expected)) return false;
    return reflectApply(expected, {}, [actual]) === true;
  }

  function throws(fn: () => unknown, expected?: unknown, message?: unknown): void {
    expectsError(throws, getActual(fn), arguments.length - 1, expected, message);
  }

  async function rejects(promiseOrFn: unknown, expected?: unknown, message?: unknown): Promise<void> {
    const count = arguments.length - 1;
    expectsError(rejects, await waitForActual(promiseOrFn), count, expected, message);
  }

  function doesNotThrow(fn: () => unknown, expected?: unknown, message?: unknown): void {
    expectsNoError(doesNotThrow, getActual(fn), expected, message);
  }

  async function doesNotReject(promiseOrFn: unknown, expected?: unknown, message?: unknown): Promise<void> {
    expectsNoError(doesNotReject, await waitForActual(promiseOrFn), expected, message);
  }

  // ---------------------------------------------------------------------------------------
  // match / ifError
  // ---------------------------------------------------------------------------------------

  function internalMatch(value: unknown, regexp: unknown, message: unknown, stackStartFn: Function, wantMatch: boolean): void {
    if (!isRegExp(regexp)) {
      throw argumentError('ERR_INVALID_ARG_TYPE', 'The "regexp" argument must be an instance of RegExp. Received ' + safeRender(regexp));
    }
    if (typeof value === 'string' && (regExpExec(regexp, value) !== null) === wantMatch) return;
    throwIfErrorMessage(message);
    let text = message;
    if (!text) {
      text =
        typeof value !== 'string'
          ? 'The "string" argument must be of type string. Received type ' + typeof value + ' (' + safeRender(value) + ')'
          : (wantMatch ? 'The input did not match the regular expression ' : 'The input was expected to not match the regular expression ') +
            safeRender(regexp) +
            '. Input:\n\n' +
            safeRender(value) +
            '\n';
    }
    const error = assertionError({ actual: value, expected: regexp, message: text, operator: functionName(stackStartFn), stackStartFn });
    error.generatedMessage = !message;
    throw error;
  }

  function match(value: string, regexp: RegExp, message?: AssertMessage): void {
    internalMatch(value, regexp, message, match, true);
  }

  function doesNotMatch(value: string, regexp: RegExp, message?: AssertMessage): void {
    internalMatch(value, regexp, message, doesNotMatch, false);
  }

  function ifError(value: unknown): void {
    if (value === null || value === undefined) return;
    let text = 'ifError got unwanted exception: ';
    const errorMessage = isObjectLike(value) ? (value as { message?: unknown }).message : undefined;
    if (typeof errorMessage === 'string') {
      const constructorName = functionName((value as { constructor?: unknown }).constructor);
      text += errorMessage.length === 0 && constructorName !== '' ? constructorName : errorMessage;
    } else {
      text += safeRender(value);
    }
    throw assertionError({ actual: value, expected: null, message: text, operator: 'ifError', stackStartFn: ifError });
  }

  // ---------------------------------------------------------------------------------------
  // The module objects
  // ---------------------------------------------------------------------------------------

  const shared = {
    fail,
    ok,
    strictEqual,
    notStrictEqual,
    deepStrictEqual,
    notDeepStrictEqual,
    throws,
    doesNotThrow,
    rejects,
    doesNotReject,
    match,
    doesNotMatch,
    ifError,
    AssertionError: AssertionError as unknown as AssertionErrorConstructor,
  };
  const legacy = Object.assign(ok, shared, { equal, notEqual, deepEqual, notDeepEqual }) as unknown as AssertModule;
  const strictModule = Object.assign(strict, shared, {
    equal: strictEqual,
    notEqual: notStrictEqual,
    deepEqual: deepStrictEqual,
    notDeepEqual: notDeepStrictEqual,
  }) as unknown as AssertModule;
  legacy.strict = strictModule;
  strictModule.strict = strictModule;
  if (shareInternals !== undefined) {
    shareInternals({ isDeepStrictEqual, AssertionError: AssertionError as unknown as AssertionErrorConstructor });
  }
  return legacy;
}
