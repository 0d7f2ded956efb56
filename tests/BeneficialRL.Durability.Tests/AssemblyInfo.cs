// Tests share libtorch's thread pool on a small machine; running them one at a time keeps global torch state uncontended.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
