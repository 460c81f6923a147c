import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/**
 * Opt-in CPU profile of one forked contender process, for finding where a
 * contender's time goes in the very process the bench measures (a driver
 * elsewhere has other JIT feedback and other neighbours). Set
 * `X_BENCH_CPU_PROFILE=<directory>`: each forked contender writes
 * `<contender>-<pid>.cpuprofile` there when its session closes. The harness
 * kills children with SIGKILL, so Node's own `--cpu-prof` would never write.
 * Profiling slows the process: never publish numbers from such a run.
 */
export interface ContenderProfile {
  stop(): Promise<void>;
}

export async function startContenderProfile(contender: string): Promise<ContenderProfile | null> {
  const directory = process.env.X_BENCH_CPU_PROFILE;
  if (directory === undefined || directory === '') return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // Finer than V8's default 1 ms, so a short turn still gives enough samples
  // to compare per-function costs; X_BENCH_CPU_PROFILE_INTERVAL (µs) overrides.
  const interval = Number(process.env.X_BENCH_CPU_PROFILE_INTERVAL ?? 100);
  if (Number.isFinite(interval) && interval > 0)
    await session.post('Profiler.setSamplingInterval', { interval });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await mkdir(directory, { recursive: true });
      await writeFile(join(directory, `${contender}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    },
  };
}
