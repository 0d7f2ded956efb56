using System.Net;
using System.Net.Sockets;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>Whether a loopback port can be bound right now.</summary>
public static class PortProbe
{
    /// <summary>Binds 127.0.0.1:<paramref name="port"/> and releases it; false when something else holds it.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
