using System.Net;
using System.Net.Sockets;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>Hands out loopback ports nobody listens on, so parallel runs never collide on fixed ports.</summary>
public static class FreePorts
{
    /// <summary>
    /// Binds 127.0.0.1:0, lets the operating system choose a free port, releases it and returns it.
    /// Another process may take it before the caller binds it; starters retry on "address in use".
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
