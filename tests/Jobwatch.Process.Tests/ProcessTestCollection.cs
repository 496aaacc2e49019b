// The tests start several processes each and use leases of a couple of seconds: run them one at a
// time so a 2-core machine is not oversubscribed into expiring healthy leases.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
