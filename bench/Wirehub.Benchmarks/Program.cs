using BenchmarkDotNet.Running;

// Runs any benchmark class in this assembly; pick with --filter, e.g. `--filter *FrameMask*`, or interactively.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
