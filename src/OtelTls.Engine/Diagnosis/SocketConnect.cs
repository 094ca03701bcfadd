using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// Cancellable socket operations on every target framework. netstandard2.0 has no token overloads, so there the
    /// token closes the socket, which ends the pending operation just as surely.
    /// </summary>
    internal static class SocketConnect
    {
        public static async Task ConnectAsync(Socket socket, EndPoint endPoint, CancellationToken cancellationToken)
        {
#if NET
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
#else
            using (cancellationToken.Register(socket.Dispose))
            {
                await socket.ConnectAsync(endPoint).ConfigureAwait(false);
            }
#endif
        }

        public static async Task<int> SendAsync(Socket socket, ArraySegment<byte> data, CancellationToken cancellationToken)
        {
#if NET
            return await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
#else
            using (cancellationToken.Register(socket.Dispose))
            {
                return await socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            }
#endif
        }

        public static async Task<int> ReceiveAsync(Socket socket, ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
#if NET
            return await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
#else
            using (cancellationToken.Register(socket.Dispose))
            {
                return await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
            }
#endif
        }
    }
}
