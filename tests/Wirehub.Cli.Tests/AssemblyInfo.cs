// Every test runs wirehub processes; on a small shared machine two at a time is plenty.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
