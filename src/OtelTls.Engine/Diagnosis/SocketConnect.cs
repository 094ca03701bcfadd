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
#if NET
        // The socket's own cancellable operations, handed on without an async method of our own: each async method is a
        // state machine for which a fresh process JIT-compiles the framework's generic async code (ReadyToRun cannot
        // pregenerate it across assemblies), and these three wrappers only forwarded. Every caller awaits at once inside
        // its try block, so an exception thrown before the operation starts lands in the same handler as before.
        public static Task ConnectAsync(Socket socket, EndPoint endPoint, CancellationToken cancellationToken) =>
            socket.ConnectAsync(endPoint, cancellationToken).AsTask();

        public static Task<int> SendAsync(Socket socket, ArraySegment<byte> data, CancellationToken cancellationToken) =>
            socket.SendAsync(data, SocketFlags.None, cancellationToken).AsTask();

        public static Task<int> ReceiveAsync(Socket socket, ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
            socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).AsTask();
#else
        public static async Task ConnectAsync(Socket socket, EndPoint endPoint, CancellationToken cancellationToken)
        {
            using (cancellationToken.Register(socket.Dispose))
            {
                await socket.ConnectAsync(endPoint).ConfigureAwait(false);
            }
        }

        public static async Task<int> SendAsync(Socket socket, ArraySegment<byte> data, CancellationToken cancellationToken)
        {
            using (cancellationToken.Register(socket.Dispose))
            {
                return await socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            }
        }

        public static async Task<int> ReceiveAsync(Socket socket, ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
            using (cancellationToken.Register(socket.Dispose))
            {
                return await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
            }
        }
#endif
    }
}
