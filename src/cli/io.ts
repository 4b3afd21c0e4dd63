/** Everything a command touches outside itself, so the CLI can run in-process in tests. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  /** Writes a whole file atomically (temp file + rename); absent where writing is not allowed. */
  writeFile?(path: string, content: string): Promise<void>;
  exists?(path: string): Promise<boolean>;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}
