using TorchSharp;

namespace BeneficialRL.Learning.Devices;

/// <summary>
/// Picks where tensors live: CUDA when libtorch sees a GPU, otherwise the CPU with one intra-op
/// thread per core (or the count a host sets). Every entry point of the engine calls <see cref="Initialize"/> so the
/// thread count is set before the first kernel runs.
/// </summary>
public static class LearningDevice
{
    private static readonly object Gate = new();
    private static bool _initialized;

    /// <summary>The device chosen for new models: <c>cuda</c> when available, else <c>cpu</c>.</summary>
    public static torch.Device Default
    {
        get
        {
            Initialize();
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }
    }

    /// <summary>
    /// Sets libtorch's intra-op thread count, once per process: the count given to <see cref="UseThreads"/>, else the
    /// number of cores.
    /// </summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }

            torch.set_num_threads(Environment.ProcessorCount);
            _initialized = true;
        }
    }

    /// <summary>
    /// Runs libtorch's CPU kernels on <paramref name="threads"/> intra-op threads in this process instead of one per
    /// core: a host whose machine's cores are shared by several trainer processes gives each its share, since two
    /// processes each using every core only contend. Call it before any tensor work.
    /// </summary>
    public static void UseThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        lock (Gate)
        {
            torch.set_num_threads(threads);
            _initialized = true;
        }
    }

    /// <summary>Resolves an optional device argument to <see cref="Default"/>.</summary>
    public static torch.Device Resolve(torch.Device? device)
    {
        Initialize();
        return device ?? Default;
    }
}
