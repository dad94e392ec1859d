import { describe, expect, it } from 'vitest';
import { lazyFeature, loadedFeature } from '../../src/service/kernel/lazy-feature';

/** A feature whose load is counted and can be made to fail. */
function counted(failFirst = false) {
  const state = { loads: 0 };
  const load = async () => {
    state.loads += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (failFirst && state.loads === 1) throw new Error('chunk missing');
    return {
      echo: async (a: number, b: string) => `${a}${b}`,
      fail: async () => {
        throw new Error('operation failed');
      },
    };
  };
  return { state, feature: lazyFeature('test', load, ['echo', 'fail']) };
}

describe('lazyFeature', () => {
  it('loads nothing until the first call, then loads once for concurrent first calls', async () => {
    const { state, feature } = counted();
    expect(state.loads).toBe(0);
    expect(await Promise.all([feature.echo(1, 'a'), feature.echo(2, 'b'), feature.fail().catch((e: Error) => e.message)])).toEqual([
      '1a',
      '2b',
      'operation failed',
    ]);
    expect(await feature.echo(3, 'c')).toBe('3c');
    expect(state.loads).toBe(1);
  });

  it('has exactly the listed methods, named as the operations, and nothing else', () => {
    const { feature } = counted();
    expect(Object.keys(feature)).toEqual(['echo', 'fail']);
    expect(feature.echo.name).toBe('echo');
    expect((feature as Record<string, unknown>).other).toBeUndefined();
  });

  it('passes an operation failure through unchanged and retries a failed load on the next call', async () => {
    const { state, feature } = counted(true);
    await expect(feature.echo(1, 'a')).rejects.toThrow('chunk missing');
    expect(await feature.echo(1, 'a')).toBe('1a');
    expect(state.loads).toBe(2);
  });

  it('gives the loaded operations to tools that inspect them', async () => {
    const { feature } = counted();
    const loaded = await loadedFeature(feature);
    expect(loaded.echo).not.toBe(feature.echo);
    expect(await loaded.echo(4, 'd')).toBe('4d');
    await expect(loadedFeature({})).rejects.toThrow('not a feature');
  });
});
