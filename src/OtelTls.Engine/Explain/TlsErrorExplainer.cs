using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Runtime.ExceptionServices;
using System.Threading;
#if NET8_0_OR_GREATER
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
#endif
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Explain
{
    /// <summary>
    /// Reads log lines one at a time and returns an explanation for each TLS or OTLP connection error among them.
    /// An error often spans several lines (an exception and its inner exceptions, a Java "Caused by" chain, Node's
    /// inspected error object): lines close together that belong to one error are folded into one explanation, and a
    /// wrapper line ("see inner exception") takes the cause from the line that follows it.
    /// </summary>
    /// <remarks>
    /// Most lines of a real log are not errors, so a single cheap pre-check decides whether a line is looked at at all;
    /// only the few that pass run the rule table. Not thread-safe: one instance per input.
    /// </remarks>
    public sealed class TlsErrorExplainer
    {
        /// <summary>A line this close to the previous signal line belongs to the same error, whatever it looks like.</summary>
        private const int AdjacentLines = 3;

        /// <summary>A continuation line (inner exception, "Caused by", an indented detail) this close still belongs to it.</summary>
        private const int ContinuationLines = 40;

        private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled;

        /// <summary>The first gate: a line without any of these words cannot be a TLS or OTLP connection error.</summary>
        internal static readonly string[] PreCheckWords =
        {
            "ssl", "tls", "x509", "cert", "handshake", "pkix", "alert", "refused", "econn", "enotfound", "etimedout", "timed out",
            "timeout", "no such host", "name or service", "resolve host", "reset", "unavailable", "alpn", "frame", "peer name",
            "greeting", "curl: (", "eof", "hang up", "socket closed", "protocol", "name resolution", "http version", "http/2",
            "statuscode", "code = ", "unauthenticated", "unimplemented", "errno=", "pull function", "sigalg", "purpose", "cipher",
            "unable_to", "verif", "constraint", "subtree", "critical extension", "too weak", "digest",
        };

        private static readonly KeywordGate PreCheck = new(PreCheckWords);

        /// <summary>
        /// The second gate: words every failure message has and a healthy "TLS handshake completed" or "loaded certificate"
        /// line does not. Upper-case codes are matched as written, so "503 Service Unavailable" is not gRPC's UNAVAILABLE.
        /// </summary>
        internal static readonly string[] FailureAnyCase =
        {
            "error", "fail", "exception", "invalid", "unable", "refused", "denied", "alert", "cannot", "could not", "couldn't",
            "unknown", "reset", "abort", "unexpected", "rejected", "not trusted", "mismatch", "does not", "doesn't", "not valid",
            "not in ", "not verified", "wrong", "bogus", "too large", "missing", "expired", "timed out", "no such", "not present",
            "no alternative", "disallowed", "unsuitable", "unsupported", "terminated", "no shared", "no cipher", "eof", "hang up",
            "closed", "disconnected", "required", "not yet valid", "errno", "legacy", "incompatible", "timeout", "is valid for",
            "violation", "violates", "exceeded", "too weak", "unhandled", "insecure", "problem", "self-signed", "self signed",
        };

        /// <summary>The second gate's words matched as written.</summary>
        internal static readonly string[] FailureExactCase =
        {
            "EPROTO", "ECONN", "ENOTFOUND", "ETIMEDOUT", "UNAVAILABLE", "UNAUTHENTICATED", "UNIMPLEMENTED", "Unauthenticated",
            "Unimplemented", "CERT_", "UNABLE_TO", "SELF_SIGNED", "INVALID_PURPOSE", "TSI_",
        };

        /// <summary>The second gate (see <see cref="FailureAnyCase"/>).</summary>
        internal static readonly KeywordGate FailureWords = new(FailureAnyCase, FailureExactCase);

        private static readonly GuardedRegex TlsWords = new(@"(?<![a-z])(ssl|tls)|x509|certificat|handshake|pkix", Options);

        private static readonly GuardedRegex ErrorWords = new(
            @"error|fail|exception|invalid|unable|refused|denied|alert|cannot|could not|couldn't|unknown|reset|abort|unexpected|rejected|not trusted|mismatch",
            Options);

        /// <summary>A line that speaks of OTLP, or of TLS or a transport connection: connection errors count only there.</summary>
        private static readonly GuardedRegex OtlpContext = new(@"otlp|otel|opentelemetry|exporter|collector|grpc|:431[78]\b|/v1/(traces|metrics|logs)|(?<![a-z])(ssl|tls)|handshake|transport connection|curl: \(", Options);

        private static readonly Regex Continuation = new(@"^\s|^(Caused by|Inner exception|---> |\s*at |\s*code:|\s*errno:|\s*\}|\s*reason:)", Options);

        private static readonly GuardedRegex[] EndpointPatterns =
        {
            new(@"->\s*(?<h>\[[0-9a-f:.]+\]|[\w.-]+):(?<p>\d{1,5})\b", Options),
            new(@"\b(?:https?|grpcs?)://(?:[^/\s@]+@)?(?<h>\[[0-9a-f:.]+\]|[\w.-]+)(?::(?<p>\d{1,5}))?", Options),
            new(@"\bipv[46]:(?<h>\[[0-9a-f:.]+\]|[\d.]+):(?<p>\d{1,5})\b", Options),
            new(@"(?:dial tcp|connect(?:ing)? to|ECONNREFUSED|ECONNRESET|ETIMEDOUT|-connect)\s+(?<h>\[[0-9a-f:.]+\]|[\w.-]+):(?<p>\d{1,5})\b", Options),
            new(@"\((?<h>[\w.-]+|\[[0-9a-f:.]+\]):(?<p>\d{1,5})\)", Options),
            new(@"\bto (?<h>[\w.-]+) port (?<p>\d{1,5})\b", Options),
        };

        private static readonly GuardedRegex[] NamePatterns =
        {
            new(@"certificate is valid for (?<n>.+?), not ", Options),
            new(@"is not in the cert's (?:altnames|list): (?<n>.+)$", Options),
        };

        private static readonly GuardedRegex[] VerifyPatterns =
        {
            new(@"verify error:num=(?<v>\d+:[^\r\n]+)", Options),
            new(@"Verify return code: (?<v>\d+ \([^)]*\))", Options),
            new(@"certificate verify failed: (?<v>[^(\r\n]+?)\s*(?:\(_ssl|$)", Options),
            new(@"errors in the certificate chain: (?<v>[A-Za-z, ]+)", Options),
            new(@"validation procedure: (?<v>[A-Za-z, ]+)", Options),
            new(@"\b(?<v>(?:UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID))\b", RegexOptions.CultureInvariant | RegexOptions.Compiled),
            new(@"SSL certificate problem: (?<v>[^\r\n]+)", Options),
            new(@"Status: The certificate is NOT trusted\. (?<v>[^\r\n]+)", Options),
        };

        private static readonly GuardedRegex[] AlertNamePatterns =
        {
            new(@"(?:tlsv1|tlsv13|sslv3) alert (?<a>[a-z ]+?)(?::|\s*\(|'|$)", Options),
            new(@"Received alert \[\d+\]: (?<a>[^\r\n]+)", Options),
            new(@"Received fatal alert: (?<a>\w+)", Options),
            new(@"remote error: tls: (?<a>[a-z ]+)", Options),
            new(@"TLS alert: '(?<a>\w+)'", Options),
        };

        private static readonly GuardedRegex AlertNumber = new(@"alert number (?<a>\d+)|Received alert \[(?<a>\d+)\]", Options);

        private static readonly GuardedRegex Secrets = new(
            @"(?<=://)[^/\s@]+(?=@)|(?<=[?&](?:api[_-]?key|token|access_token|key|sig|signature|password|secret)=)[^&\s""']+|(?<=\b(?:authorization|api-key|x-api-key)[""']?\s*[:=]\s*[""']?)(?:bearer\s+|basic\s+)?[^\s,""'}]+",
            Options);

        /// <summary>
        /// Every pattern the recogniser runs behind a literal pre-check, named (tests hold each to its required words).
        /// </summary>
        internal static IEnumerable<(string Name, GuardedRegex Pattern)> GuardedPatterns =>
            TlsErrorRules.All.Select((r, i) => ($"rule {i} ({r.FindingId})", r.Pattern))
                .Concat(TlsErrorRules.Wrappers.Select((r, i) => ($"wrapper {i}", r.Pattern)))
                .Concat(TlsErrorRules.RuntimeMarkers.Select(m => ($"marker {m.Runtime}", m.Marker)))
                .Concat(new[] { (nameof(TlsWords), TlsWords), (nameof(ErrorWords), ErrorWords), (nameof(OtlpContext), OtlpContext), (nameof(AlertNumber), AlertNumber), (nameof(Secrets), Secrets) })
                .Concat(EndpointPatterns.Select((p, i) => ($"{nameof(EndpointPatterns)}[{i}]", p)))
                .Concat(NamePatterns.Select((p, i) => ($"{nameof(NamePatterns)}[{i}]", p)))
                .Concat(VerifyPatterns.Select((p, i) => ($"{nameof(VerifyPatterns)}[{i}]", p)))
                .Concat(AlertNamePatterns.Select((p, i) => ($"{nameof(AlertNamePatterns)}[{i}]", p)));

        private readonly string? _path;
        private Pending? _held;
        private long _lineNumber;

        /// <summary>Creates an explainer for one input; <paramref name="path"/> names the file its lines come from, if any.</summary>
        public TlsErrorExplainer(string? path = null)
        {
            _path = path;
        }

        /// <summary>Lines read so far.</summary>
        public long LineCount => _lineNumber;

        /// <summary>Feeds one line; returns the explanations completed by it (errors that the line ends).</summary>
        public IReadOnlyList<OtlpTlsErrorExplanation> Add(string? line)
        {
            _lineNumber++;
            if (string.IsNullOrEmpty(line))
            {
                return FlushIfStale();
            }

            var signal = PreCheck.Matches(line!) && FailureWords.Matches(line!) ? Classify(line!) : null;
            if (signal is null)
            {
                // An inspected error object or an indented detail (Node's "code: 'ECONNRESET'") can still name the
                // runtime, the host or the alert of the error it continues.
                if (_held is not null && _lineNumber - _held.LastLine <= AdjacentLines && Continuation.IsMatch(line))
                {
                    _held.Observe(line!, _lineNumber);
                }

                return FlushIfStale();
            }

            var done = new List<OtlpTlsErrorExplanation>(1);
            if (_held is not null && BelongsToHeld(line!) && _held.TryAbsorb(signal, _lineNumber))
            {
                return done;
            }

            if (_held is not null)
            {
                done.Add(_held.Build());
            }

            _held = new Pending(signal, _lineNumber, line!, _path);
            return done;
        }

        /// <summary>Ends the input: returns the explanation still being assembled, if any.</summary>
        public IReadOnlyList<OtlpTlsErrorExplanation> Complete()
        {
            if (_held is null)
            {
                return Array.Empty<OtlpTlsErrorExplanation>();
            }

            var last = _held.Build();
            _held = null;
            return new[] { last };
        }

        /// <summary>
        /// Explains every error in a log file, reading it as a stream (a log of any size is read once, a block at a time, and
        /// explanations are returned as their errors end). Blocks are searched as bytes: only a line that may be an error, or
        /// that may continue the error being assembled, is cut and decoded to a string, so the ordinary lines of a log cost
        /// a vectorised search and a count of their line ends, no allocation.
        /// </summary>
        public static IEnumerable<OtlpTlsErrorExplanation> ExplainFile(string path) => ExplainFile(path, readAhead: true);

        /// <summary>
        /// <see cref="ExplainFile(string)"/>, with the next block read on another thread while this one is searched
        /// (<paramref name="readAhead"/>) or read in turn (the benchmark times both; tests hold them to the same answers).
        /// </summary>
        internal static IEnumerable<OtlpTlsErrorExplanation> ExplainFile(string path, bool readAhead, int readAheadSize = LogBlocks.ReadAheadSize)
        {
            using var stream = FileAccess.OpenRead(path, "log");
            var explainer = new TlsErrorExplainer(path);

            // The block buffers come from the shared pool: a new 256 KiB array per file is a large-object allocation, freed
            // only by a full collection. (With the pool a 100 MiB scan pauses 0.5-1.7 ms for GC; not measured without it.
            // A line longer than a block makes the scan read into a larger array of its own; the pool's are returned as
            // they were.)
            var rented = ArrayPool<byte>.Shared.Rent(BlockSize);
            LogBlocks? blocks = null;
            try
            {
                var filled = ReadSome(stream, rented, 0);
                IEnumerable<OtlpTlsErrorExplanation> lines;
                if (filled >= 2 && (rented[0] == 0xFF && rented[1] == 0xFE || rented[0] == 0xFE && rented[1] == 0xFF))
                {
                    lines = explainer.ScanDecoded(stream);
                }
                else
                {
                    blocks = new LogBlocks(stream, rented, filled, readAhead, readAheadSize);
                    lines = explainer.ScanUtf8(blocks);
                }

                foreach (var explanation in lines)
                {
                    yield return explanation;
                }

                // After the last line: the error still being assembled.
                foreach (var explanation in explainer.Complete())
                {
                    yield return explanation;
                }
            }
            finally
            {
                // A read still under way writes into a pooled array: it ends before the arrays go back (and the stream closes).
                blocks?.Dispose();
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        /// <summary>
        /// UTF-16 (or UTF-32) by its byte-order mark: the bytes are not ASCII-compatible, so lines are decoded first, from the
        /// start of the stream.
        /// </summary>
        private IEnumerable<OtlpTlsErrorExplanation> ScanDecoded(Stream stream)
        {
            stream.Position = 0;
            using var reader = new StreamReader(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, 1 << 16);
            string? text;
            while ((text = reader.ReadLine()) is not null)
            {
                foreach (var explanation in Add(text))
                {
                    yield return explanation;
                }
            }
        }

        /// <summary>
        /// The UTF-8 (or any ASCII-compatible) path of <see cref="ExplainFile(string)"/>. A block of the file is searched at once for
        /// the words every failure has (<see cref="FailureWords"/>, vectorised): the complete lines before a hit are only
        /// counted, never cut, decoded or gated one by one; the line of a hit is cut and gated, and decoded only if it passes
        /// both gates. While an error is being assembled, the next few lines are read as text as <see cref="Add"/> needs them.
        /// Lines end at LF, CRLF or a lone CR, as StreamReader.ReadLine has them; invalid UTF-8 becomes U+FFFD.
        /// </summary>
        private IEnumerable<OtlpTlsErrorExplanation> ScanUtf8(LogBlocks blocks)
        {
            var utf8 = new UTF8Encoding(false, false);
            var buffer = blocks.Buffer;
            if (blocks.Filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                blocks.Start = 3;
            }

            // The previous line ended with a CR: an LF right after it is the rest of that CRLF.
            var lfOfCr = false;
            while (true)
            {
                if (blocks.Start == blocks.Filled)
                {
                    if (blocks.Ended)
                    {
                        break;
                    }

                    blocks.Refill();
                    buffer = blocks.Buffer;
                    continue;
                }

                if (lfOfCr)
                {
                    lfOfCr = false;
                    if (buffer[blocks.Start] == (byte)'\n')
                    {
                        blocks.Start++;
                        continue;
                    }
                }

                if (!NeedsText)
                {
                    var hit = FailureWords.IndexIn(buffer, blocks.Start, blocks.Filled);
                    var through = LastLineEnd(buffer, blocks.Start, hit >= 0 ? hit : blocks.Filled);
                    if (through >= 0)
                    {
                        // Complete lines that hold no failure word: counted, not looked at.
                        foreach (var explanation in SkipLines(CountLineEnds(buffer, blocks.Start, through + 1)))
                        {
                            yield return explanation;
                        }

                        lfOfCr = buffer[through] == (byte)'\r';
                        blocks.Start = through + 1;
                        continue;
                    }

                    if (hit < 0)
                    {
                        // Part of a line without a failure word so far: read on (the whole line is searched again), or it
                        // is the file's last line, without a line end.
                        if (!blocks.Ended)
                        {
                            blocks.Refill();
                            buffer = blocks.Buffer;
                            continue;
                        }

                        foreach (var explanation in SkipLines(1))
                        {
                            yield return explanation;
                        }

                        blocks.Start = blocks.Filled;
                        continue;
                    }
                }

                // The line at Start holds a failure word, or must be read as text.
                var lineEnd = IndexOfLineEnd(buffer, blocks.Start, blocks.Filled - blocks.Start);
                if (lineEnd < 0 && !blocks.Ended)
                {
                    blocks.Refill();
                    buffer = blocks.Buffer;
                    continue;
                }

                var end = lineEnd < 0 ? blocks.Filled : lineEnd;
                var lines = NeedsText || MayBeSignal(buffer, blocks.Start, end - blocks.Start)
                    ? Add(utf8.GetString(buffer, blocks.Start, end - blocks.Start))
                    : SkipLines(1);
                foreach (var explanation in lines)
                {
                    yield return explanation;
                }

                lfOfCr = lineEnd >= 0 && buffer[lineEnd] == (byte)'\r';
                blocks.Start = lineEnd < 0 ? blocks.Filled : lineEnd + 1;
            }
        }

        /// <summary>Bytes read per block: large enough that reading costs few calls, small enough to stay in the CPU's cache.</summary>
        internal const int BlockSize = 1 << 18;

        /// <summary>Reads until the buffer is full or the stream ends; returns the bytes read.</summary>
        private static int ReadSome(Stream stream, byte[] buffer, int offset)
        {
            var total = 0;
            while (offset + total < buffer.Length)
            {
                var read = stream.Read(buffer, offset + total, buffer.Length - offset - total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }

        /// <summary>The first CR or LF in the range, or -1; both searches are vectorised by the runtime.</summary>
        private static int IndexOfLineEnd(byte[] buffer, int start, int count)
        {
            var lf = Array.IndexOf(buffer, (byte)'\n', start, count);
            var cr = Array.IndexOf(buffer, (byte)'\r', start, lf < 0 ? count : lf - start);
            return cr >= 0 ? cr : lf;
        }

        /// <summary>The last CR or LF in <c>buffer[start..end)</c>, or -1.</summary>
#if NET8_0_OR_GREATER
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
        internal static int LastLineEnd(byte[] buffer, int start, int end)
        {
#if NET8_0_OR_GREATER
            if (end <= start)
            {
                return -1;
            }

            var at = buffer.AsSpan(start, end - start).LastIndexOfAny((byte)'\n', (byte)'\r');
            return at < 0 ? -1 : start + at;
#else
            return LastLineEndScalar(buffer, start, end);
#endif
        }

        /// <summary>
        /// <see cref="LastLineEnd"/> without the runtime's vectorised span searches: what netstandard2.0 (Windows PowerShell)
        /// runs; compiled everywhere so that tests hold both to the same answers.
        /// </summary>
        internal static int LastLineEndScalar(byte[] buffer, int start, int end)
        {
            if (end <= start)
            {
                return -1;
            }

            var lf = Array.LastIndexOf(buffer, (byte)'\n', end - 1, end - start);
            var cr = Array.LastIndexOf(buffer, (byte)'\r', end - 1, end - start);
            return Math.Max(lf, cr);
        }

        /// <summary>Lines ended in <c>buffer[start..end)</c>: each LF, each CR, and a CRLF once.</summary>
#if NET8_0_OR_GREATER
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
        internal static int CountLineEnds(byte[] buffer, int start, int end)
        {
#if NET8_0_OR_GREATER
            // One pass counts the LFs and notes whether there is any CR at all (most logs have none); only then are the
            // CRs and the CRLFs counted.
            var count = 0;
            var crs = false;
            var i = start;
            if (Vector256.IsHardwareAccelerated)
            {
                ref var data = ref MemoryMarshal.GetArrayDataReference(buffer);
                var lf = Vector256.Create((byte)'\n');
                var cr = Vector256.Create((byte)'\r');
                var anyCr = Vector256<byte>.Zero;
                for (; i + 32 <= end; i += 32)
                {
                    var v = Vector256.LoadUnsafe(ref data, (nuint)i);
                    count += BitOperations.PopCount(Vector256.Equals(v, lf).ExtractMostSignificantBits());
                    anyCr |= Vector256.Equals(v, cr);
                }

                crs = anyCr != Vector256<byte>.Zero;
            }

            var tail = buffer.AsSpan(i, end - i);
            count += tail.Count((byte)'\n');
            if (!crs && tail.IndexOf((byte)'\r') < 0)
            {
                return count;
            }

            var span = buffer.AsSpan(start, end - start);
            count += span.Count((byte)'\r');
            for (var at = span.IndexOf("\r\n"u8); at >= 0; at = span.IndexOf("\r\n"u8))
            {
                count--;
                span = span.Slice(at + 2);
            }

            return count;
#else
            return CountLineEndsScalar(buffer, start, end);
#endif
        }

        /// <summary><see cref="CountLineEnds"/> one byte at a time, as netstandard2.0 runs it (tests compare the two).</summary>
        internal static int CountLineEndsScalar(byte[] buffer, int start, int end)
        {
            var count = 0;
            for (var i = start; i < end; i++)
            {
                var b = buffer[i];
                if (b == (byte)'\n' ? i == start || buffer[i - 1] != (byte)'\r' : b == (byte)'\r')
                {
                    count++;
                }
            }

            return count;
        }

        /// <summary>
        /// A file read a block at a time. With read-ahead the next block is read on a thread of its own (<see cref="BlockReader"/>)
        /// into a second pooled array
        /// while this one is searched, so that a scan costs about the larger of reading and searching, not their sum (the
        /// machine must have a core free for it; on one core it costs what reading in turn does). A block read ahead lands
        /// <see cref="Carry"/> bytes into its array: the unfinished line at the end of the block being searched is copied in
        /// front of it, so the two join without moving the block. A line longer than that goes into a larger array of the
        /// scan's own, which grows (doubles) while the line does not end.
        /// </summary>
        private sealed class LogBlocks : IDisposable
        {
            /// <summary>Room before a block read ahead for the unfinished line it continues (most log lines are far shorter).</summary>
            internal const int Carry = 4096;

            /// <summary>
            /// Bytes per block read ahead. Each block is handed between the threads once; with 256 KiB blocks the hand-overs
            /// (a thread woken 400 times per 100 MiB) cost 5 ms more CPU and 3 ms more wall time than with 1 MiB
            /// (--profile-log: 28.0 ms wall, 36.5 ms CPU against 25.5 and 33.4; 512 KiB and 2 MiB were no better). 1 MiB is
            /// also the largest array the netstandard2.0 pool keeps.
            /// </summary>
            internal const int ReadAheadSize = 1 << 20;

            private readonly Stream _stream;
            private readonly bool _readAhead;

            /// <summary>The caller's pooled array (the first block), and the two rented here that later blocks are read ahead into.</summary>
            private readonly byte[] _first;
            private readonly byte[]? _a;
            private readonly byte[]? _b;

            /// <summary>The thread that reads ahead, the array it reads into, and whether a read is under way.</summary>
            private readonly BlockReader? _reader;
            private byte[]? _pendingInto;
            private bool _pending;

            public LogBlocks(Stream stream, byte[] buffer, int filled, bool readAhead, int readAheadSize)
            {
                _stream = stream;
                _first = buffer;
                Buffer = buffer;
                Filled = filled;
                Ended = filled == 0;
                // A file that did not fill the first block has (for now) no second: it is read in turn, without a thread.
                _readAhead = readAhead && filled == buffer.Length;
                if (_readAhead)
                {
                    _a = ArrayPool<byte>.Shared.Rent(readAheadSize);
                    _b = ArrayPool<byte>.Shared.Rent(readAheadSize);
                    _reader = new BlockReader(stream);
                    ReadAheadInto(_a);
                }
            }

            public byte[] Buffer { get; private set; }

            /// <summary>Where the first byte not yet explained is.</summary>
            public int Start { get; set; }

            /// <summary>How many bytes of the buffer hold data (from the start of the array).</summary>
            public int Filled { get; private set; }

            /// <summary>Whether the stream has ended (what is in the buffer is all there is).</summary>
            public bool Ended { get; private set; }

            /// <summary>Keeps the bytes from Start on, followed by the next block (read ahead, or read now).</summary>
            public void Refill()
            {
                if (!_readAhead)
                {
                    RefillInTurn();
                    return;
                }

                if (!_pending)
                {
                    Ended = true;
                    return;
                }

                _pending = false;
                var read = _reader!.Wait();
                var into = _pendingInto!;
                if (read == 0)
                {
                    Ended = true;
                    return;
                }

                var left = Filled - Start;
                byte[] free;
                if (left <= Carry)
                {
                    // The unfinished line joins the block in front of it.
                    System.Buffer.BlockCopy(Buffer, Start, into, Carry - left, left);
                    free = ReferenceEquals(into, _a) ? _b! : _a!;
                    Buffer = into;
                    Start = Carry - left;
                    Filled = Carry + read;
                }
                else
                {
                    // A line longer than the room: both go into an array of the scan's own (both pooled arrays are then free).
                    var own = IsPooled(Buffer) || Buffer.Length < left + read ? new byte[Math.Max(2 * Buffer.Length, left + read)] : Buffer;
                    System.Buffer.BlockCopy(Buffer, Start, own, 0, left);
                    System.Buffer.BlockCopy(into, Carry, own, left, read);
                    free = into;
                    Buffer = own;
                    Start = 0;
                    Filled = left + read;
                }

                ReadAheadInto(free);
            }

            /// <summary>Waits for a read still under way (its array must not go back to the pool while it writes), ends the thread and returns the array rented here.</summary>
            public void Dispose()
            {
                _reader?.Dispose();
                if (_a is not null)
                {
                    ArrayPool<byte>.Shared.Return(_a);
                    ArrayPool<byte>.Shared.Return(_b!);
                }
            }

            private bool IsPooled(byte[] array) => ReferenceEquals(array, _first) || ReferenceEquals(array, _a) || ReferenceEquals(array, _b);

            private void ReadAheadInto(byte[] array)
            {
                _pendingInto = array;
                _pending = true;
                _reader!.Start(array);
            }

            /// <summary>Without read-ahead: the bytes from Start on moved to the front (or the buffer doubled when they fill it), and a read.</summary>
            private void RefillInTurn()
            {
                if (Start > 0)
                {
                    System.Buffer.BlockCopy(Buffer, Start, Buffer, 0, Filled - Start);
                    Filled -= Start;
                    Start = 0;
                }
                else if (Filled == Buffer.Length)
                {
                    var larger = Buffer;
                    Array.Resize(ref larger, Buffer.Length * 2);
                    Buffer = larger;
                }

                var read = ReadSome(_stream, Buffer, Filled);
                Ended = read == 0;
                Filled += read;
            }
        }

        /// <summary>
        /// A thread of its own that reads one block at a time when asked. Not the thread pool: a pool thread spins for more
        /// work after each item, and with a block handed over every 60-80 µs that spinning cost more CPU than the reads
        /// (48 ms of CPU for a 100 MiB scan against 31.5 ms read in turn, measured with Task.Run).
        /// </summary>
        private sealed class BlockReader : IDisposable
        {
            private readonly Stream _stream;
            private readonly Thread _thread;

            /// <summary>Hand-overs that block almost at once (spin count 1): the other side is rarely a few cycles away.</summary>
            private readonly ManualResetEventSlim _go = new(false, 1);
            private readonly ManualResetEventSlim _done = new(true, 1);
            private byte[]? _into;
            private int _read;
            private ExceptionDispatchInfo? _failure;
            private bool _stop;

            public BlockReader(Stream stream)
            {
                _stream = stream;
                _thread = new Thread(Run) { IsBackground = true, Name = "OtelTls log read-ahead" };
                _thread.Start();
            }

            /// <summary>Starts reading the next block into <paramref name="into"/> (after <see cref="LogBlocks.Carry"/> bytes).</summary>
            public void Start(byte[] into)
            {
                _into = into;
                _done.Reset();
                _go.Set();
            }

            /// <summary>Waits for the read and returns the bytes it read (or throws what it threw, as the stream did).</summary>
            public int Wait()
            {
                _done.Wait();
                _failure?.Throw();
                return _read;
            }

            /// <summary>Lets a read under way end, then ends the thread.</summary>
            public void Dispose()
            {
                _done.Wait();
                _stop = true;
                _go.Set();
                _thread.Join();
                _go.Dispose();
                _done.Dispose();
            }

            private void Run()
            {
                while (true)
                {
                    _go.Wait();
                    _go.Reset();
                    if (_stop)
                    {
                        return;
                    }

                    try
                    {
                        _read = ReadSome(_stream, _into!, LogBlocks.Carry);
                    }
#pragma warning disable CA1031 // Any failure of the read is the scan's: it is thrown again on the scan's thread (Wait).
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        _failure = ExceptionDispatchInfo.Capture(e);
                    }

                    _done.Set();
                }
            }
        }

        /// <summary>Whether the next line must be read as text even if it is no error: it may continue the held one.</summary>
        private bool NeedsText => _held is not null && _lineNumber + 1 - _held.LastLine <= AdjacentLines;

        /// <summary>Whether a line's bytes pass both gates (a line that does not cannot be an error).</summary>
        internal static bool MayBeSignal(byte[] bytes, int start, int length) =>
            PreCheck.Matches(bytes, start, length) && FailureWords.Matches(bytes, start, length);

        /// <summary>Counts lines that are neither errors nor continuations, without looking at them.</summary>
        private IReadOnlyList<OtlpTlsErrorExplanation> SkipLines(int count)
        {
            _lineNumber += count;
            return FlushIfStale();
        }

        /// <summary>Explains every error in a sequence of lines.</summary>
        public static IEnumerable<OtlpTlsErrorExplanation> ExplainAll(IEnumerable<string> lines, string? path = null)
        {
            var explainer = new TlsErrorExplainer(path);
            foreach (var line in lines)
            {
                foreach (var explanation in explainer.Add(line))
                {
                    yield return explanation;
                }
            }

            foreach (var explanation in explainer.Complete())
            {
                yield return explanation;
            }
        }

        /// <summary>Removes URL credentials, secret query values and authorization header values from a line.</summary>
        public static string Redact(string line) => Secrets.Replace(line, "***");

        private bool BelongsToHeld(string line)
        {
            var gap = _lineNumber - _held!.LastLine;
            return gap <= AdjacentLines || (gap <= ContinuationLines && Continuation.IsMatch(line));
        }

        private IReadOnlyList<OtlpTlsErrorExplanation> FlushIfStale()
        {
            if (_held is null || _lineNumber - _held.LastLine <= ContinuationLines)
            {
                return Array.Empty<OtlpTlsErrorExplanation>();
            }

            var done = _held.Build();
            _held = null;
            return new[] { done };
        }

        private static Signal? Classify(string line)
        {
            var otlp = new Lazy<bool>(() => OtlpContext.IsMatch(line));
            foreach (var rule in TlsErrorRules.All)
            {
                var match = rule.Pattern.Match(line);
                if (match.Success && (!rule.NeedsOtlpContext || otlp.Value))
                {
                    return new Signal(SignalKind.Cause, rule, match, line);
                }
            }

            foreach (var rule in TlsErrorRules.Wrappers)
            {
                var match = rule.Pattern.Match(line);
                if (match.Success)
                {
                    return new Signal(SignalKind.Wrapper, rule, match, line);
                }
            }

            return TlsWords.IsMatch(line) && ErrorWords.IsMatch(line) ? new Signal(SignalKind.Unrecognized, null, null, line) : null;
        }

        private enum SignalKind
        {
            Cause,
            Wrapper,
            Unrecognized,
        }

        private sealed class Signal
        {
            public Signal(SignalKind kind, TlsErrorRule? rule, Match? match, string line)
            {
                Kind = kind;
                Rule = rule;
                Match = match;
                Line = line;
            }

            public SignalKind Kind { get; }
            public TlsErrorRule? Rule { get; }
            public Match? Match { get; }
            public string Line { get; }
        }

        /// <summary>The error being assembled from its lines.</summary>
        private sealed class Pending
        {
            private readonly List<string> _lines = new();
            private TlsErrorRule? _cause;
            private OtlpRuntime _runtime;
            private string? _host;
            private int? _port;
            private string? _ruleHost;
            private IReadOnlyList<string> _names = Array.Empty<string>();
            private string? _verify;
            private string? _alert;

            private readonly string? _path;

            public Pending(Signal first, long lineNumber, string line, string? path)
            {
                _path = path;
                FirstLine = lineNumber;
                LastLine = lineNumber;
                Take(first);
            }

            public long FirstLine { get; }

            public long LastLine { get; private set; }

            /// <summary>
            /// Takes a line into this error unless it states a second, unrelated cause (then it starts its own). A cause
            /// that the held one lists among its look-alikes refines it (an inner exception is more specific than its
            /// wrapper); a vaguer cause whose look-alikes include the held one adds nothing.
            /// </summary>
            public bool TryAbsorb(Signal signal, long lineNumber)
            {
                // A wrapper introduces the error that follows it; after a stated cause it is the next error's.
                if (signal.Kind == SignalKind.Wrapper && _cause is not null)
                {
                    return false;
                }

                if (signal.Kind == SignalKind.Cause && _cause is not null && signal.Rule!.FindingId != _cause.FindingId)
                {
                    var refines = _cause.Ambiguity?.FindingIds.Contains(signal.Rule.FindingId) == true;
                    var vaguer = signal.Rule.Ambiguity?.FindingIds.Contains(_cause.FindingId) == true;
                    if (!refines && !vaguer)
                    {
                        return false;
                    }

                    if (refines && !vaguer)
                    {
                        _cause = signal.Rule;
                    }
                }

                LastLine = lineNumber;
                Take(signal);
                return true;
            }

            /// <summary>Reads the facts of a continuation line that is not itself an error.</summary>
            public void Observe(string line, long lineNumber)
            {
                LastLine = lineNumber;
                TakeFacts(line, null, null);
            }

            private void Take(Signal signal)
            {
                _lines.Add(signal.Line);
                if (signal.Kind == SignalKind.Cause && _cause is null)
                {
                    _cause = signal.Rule;
                }

                TakeFacts(signal.Line, signal.Rule, signal.Match);
            }

            private void TakeFacts(string line, TlsErrorRule? rule, Match? match)
            {
                if (_runtime == OtlpRuntime.Unknown)
                {
                    _runtime = DetectRuntime(line, rule);
                }

                if (_host is null)
                {
                    foreach (var pattern in EndpointPatterns)
                    {
                        var m = pattern.Match(line);
                        if (m.Success)
                        {
                            _host = m.Groups["h"].Value.Trim('[', ']');
                            _port = m.Groups["p"].Success ? int.Parse(m.Groups["p"].Value, CultureInfo.InvariantCulture) : null;
                            break;
                        }
                    }
                }

                if (_ruleHost is null && match is not null && match.Groups["host"].Success)
                {
                    _ruleHost = match.Groups["host"].Value.TrimEnd('.', '\'');
                }

                if (_names.Count == 0)
                {
                    _names = FirstGroup(NamePatterns, line, "n") is { } names
                        ? names.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).ToArray()
                        : _names;
                }

                _verify ??= FirstGroup(VerifyPatterns, line, "v")?.Trim();
                if (_alert is null)
                {
                    var name = FirstGroup(AlertNamePatterns, line, "a")?.Trim();
                    var number = AlertNumber.Match(line) is { Success: true } m ? m.Groups["a"].Value : null;
                    _alert = name is not null && number is not null ? $"{name} ({number})" : name ?? number;
                }
            }

            public OtlpTlsErrorExplanation Build()
            {
                var findingId = _cause?.FindingId ?? OtlpFindingId.UnrecognizedTlsError;
                var text = string.Join(Environment.NewLine, _lines.Select(Redact));
                var finding = ExplainFindings.For(findingId, _runtime, text);
                var alternatives = _cause?.Ambiguity?.FindingIds.Where(id => id != findingId).ToArray() ?? Array.Empty<string>();
                var host = _host ?? _ruleHost;
                return new OtlpTlsErrorExplanation(FirstLine, text, _runtime, finding, alternatives, _cause?.Ambiguity?.HowToTellApart,
                    host, _port, _names, _verify, _alert, NextCommand(findingId, host, _port), _path);
            }

            private static string NextCommand(string findingId, string? host, int? port)
            {
                var endpoint = (host is null ? "<collector>" : host.Contains(':') ? $"[{host}]" : host) + ":" + (port ?? OtlpProtocols.GrpcPort).ToString(CultureInfo.InvariantCulture);
                var command = "Test-OtlpTlsEndpoint " + endpoint;
                switch (findingId)
                {
                    case OtlpFindingId.UnknownAuthority:
                    case OtlpFindingId.IncompleteChain:
                    case OtlpFindingId.SelfSignedCertificate:
                    case OtlpFindingId.HostnameMismatch:
                    case OtlpFindingId.NoSubjectAlternativeName:
                        return command + " -CaCertificate <the CA file the exporter uses>";
                    case OtlpFindingId.ClientCertificateRequired:
                    case OtlpFindingId.ClientCertificateRejected:
                        return command + " -CaCertificate <ca.crt> -ClientCertificate <client.crt> -ClientKey <client.key>";
                    default:
                        return command;
                }
            }

            private static OtlpRuntime DetectRuntime(string line, TlsErrorRule? rule)
            {
                foreach (var (runtime, marker) in TlsErrorRules.RuntimeMarkers)
                {
                    if (marker.IsMatch(line))
                    {
                        return runtime;
                    }
                }

                return rule?.Runtime ?? OtlpRuntime.Unknown;
            }

            private static string? FirstGroup(GuardedRegex[] patterns, string line, string group)
            {
                foreach (var pattern in patterns)
                {
                    var m = pattern.Match(line);
                    if (m.Success)
                    {
                        return m.Groups[group].Value;
                    }
                }

                return null;
            }
        }
    }
}
