// Notebooks share the process's current directory and the two cores: run one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
