/** Everything a command touches outside itself, so the CLI can run in-process in tests. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}
