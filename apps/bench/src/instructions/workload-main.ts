import { runWorkload } from './workload.js';

// The entry the instruction counter bundles and runs under valgrind.
runWorkload(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
