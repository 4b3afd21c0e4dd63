// A stand-in command-line model for exec:<command> tests. It always reads all of stdin first.
//   node echo-model.mjs reply <text>    prints <text>
//   node echo-model.mjs echo            prints stdin back
//   node echo-model.mjs env             prints LDB_TEMPERATURE, LDB_MAX_TOKENS, LDB_RESPONSE_FORMAT as JSON
//   node echo-model.mjs fail <code>     writes two lines to stderr and exits with <code>
//   node echo-model.mjs hang <pidfile>  writes its pid to <pidfile>, then never answers
import { writeFileSync } from 'node:fs';

const [mode = 'echo', arg = ''] = process.argv.slice(2);

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;

switch (mode) {
  case 'reply':
    process.stdout.write(`${arg}\n`);
    break;
  case 'echo':
    process.stdout.write(input);
    break;
  case 'env':
    process.stdout.write(
      JSON.stringify({
        temperature: process.env.LDB_TEMPERATURE,
        maxTokens: process.env.LDB_MAX_TOKENS,
        responseFormat: process.env.LDB_RESPONSE_FORMAT,
      }),
    );
    break;
  case 'fail':
    process.stderr.write('loading model...\nerror: the model file is missing\n');
    process.exit(Number(arg) || 1);
    break;
  case 'hang':
    if (arg) writeFileSync(arg, String(process.pid));
    setInterval(() => {}, 1000);
    break;
  default:
    process.stderr.write(`unknown mode ${mode}\n`);
    process.exit(2);
}
