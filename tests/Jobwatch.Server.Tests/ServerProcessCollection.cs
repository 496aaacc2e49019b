namespace Jobwatch.Server.Tests;

/// <summary>Demo servers run one at a time: each keeps a few jobs a second going, and the machine has 2 shared cores.</summary>
[CollectionDefinition(Name)]
public sealed class ServerProcessCollection
{
    public const string Name = "demo server processes";
}
