using TorchSharp;

namespace BeneficialRL.Learning.Devices;

/// <summary>
/// Picks where tensors live: CUDA when libtorch sees a GPU, otherwise the CPU with one intra-op
/// thread per core. Every entry point of the engine calls <see cref="Initialize"/> so the thread
/// count is set before the first kernel runs.
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

    /// <summary>Sets libtorch's intra-op thread count to the number of cores, once per process.</summary>
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

    /// <summary>Resolves an optional device argument to <see cref="Default"/>.</summary>
    public static torch.Device Resolve(torch.Device? device)
    {
        Initialize();
        return device ?? Default;
    }
}
