// Each test runs a whole engine with short leases on a 2-core shared machine: running them one at a
// time keeps lease renewals on schedule, so a slow neighbour can never cause a spurious rescue.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
