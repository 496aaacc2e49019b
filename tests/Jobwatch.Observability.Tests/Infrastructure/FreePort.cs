using System.Net;
using System.Net.Sockets;

namespace Jobwatch.Observability.Tests.Infrastructure;

public static class FreePort
{
    /// <summary>A port free on loopback right now (Prometheus, unlike Kestrel, cannot be told to pick one itself).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
