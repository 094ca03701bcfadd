using System;
using System.Collections.Generic;
using System.Linq;

namespace OtelTls.Engine.Vocabulary
{
    /// <summary>
    /// The one table of OTLP protocols: the specification's spelling (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>), the collector's
    /// receiver key, the default ports. Code compares <see cref="OtlpProtocol"/>; these spellings are only read and written.
    /// </summary>
    public static class OtlpProtocols
    {
        /// <summary>The OTLP/gRPC port by convention (the specification's default for grpc).</summary>
        public const int GrpcPort = 4317;

        /// <summary>The OTLP/HTTP port by convention (the specification's default for http/protobuf and http/json).</summary>
        public const int HttpPort = 4318;

        /// <summary>The specification's default protocol when nothing configures one.</summary>
        public const OtlpProtocol Default = OtlpProtocol.HttpProtobuf;

        private static readonly (OtlpProtocol Protocol, string Name, string CollectorKey)[] Rows =
        {
            (OtlpProtocol.Grpc, "grpc", "grpc"),
            (OtlpProtocol.HttpProtobuf, "http/protobuf", "http"),
            (OtlpProtocol.HttpJson, "http/json", "http"),
        };

        /// <summary>Every protocol, in the specification's order.</summary>
        public static IReadOnlyList<OtlpProtocol> All { get; } = Rows.Select(r => r.Protocol).ToArray();

        /// <summary>The protocols OtelTls itself connects with (it sends protobuf over HTTP).</summary>
        public static IReadOnlyList<OtlpProtocol> Transports { get; } = new[] { OtlpProtocol.Grpc, OtlpProtocol.HttpProtobuf };

        /// <summary>The specification's spelling: <c>grpc</c>, <c>http/protobuf</c>, <c>http/json</c>.</summary>
        public static string Name(OtlpProtocol protocol) => Get(protocol).Name;

        /// <summary>The key under the collector's <c>receivers.otlp.protocols</c>: <c>grpc</c> or <c>http</c>.</summary>
        public static string CollectorKey(OtlpProtocol protocol) => Get(protocol).CollectorKey;

        /// <summary>The protocol of a collector receiver key (<c>grpc</c>, <c>http</c>: http/protobuf); null for any other key.</summary>
        public static OtlpProtocol? FromCollectorKey(string? key) => key switch
        {
            "grpc" => OtlpProtocol.Grpc,
            "http" => OtlpProtocol.HttpProtobuf,
            _ => null,
        };

        /// <summary>The port an SDK uses when the endpoint names none.</summary>
        public static int DefaultPort(OtlpProtocol protocol) => protocol == OtlpProtocol.Grpc ? GrpcPort : HttpPort;

        /// <summary>
        /// How OtelTls connects for a configured protocol: http/json is HTTP like http/protobuf (TLS, paths and ports are the
        /// same), and OtelTls sends protobuf.
        /// </summary>
        public static OtlpProtocol Transport(OtlpProtocol protocol) => protocol == OtlpProtocol.HttpJson ? OtlpProtocol.HttpProtobuf : protocol;

        /// <summary>
        /// Reads an <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> value: only the specification's three spellings (case and surrounding
        /// spaces aside), as SDKs accept nothing else.
        /// </summary>
        public static bool TryParseName(string? text, out OtlpProtocol protocol)
        {
            var trimmed = (text ?? string.Empty).Trim();
            foreach (var (candidate, name, _) in Rows)
            {
                if (string.Equals(trimmed, name, StringComparison.OrdinalIgnoreCase))
                {
                    protocol = candidate;
                    return true;
                }
            }

            protocol = Default;
            return false;
        }

        /// <summary>
        /// Reads a protocol as people write it: the specification's spelling (<c>http/protobuf</c>), the enum name
        /// (<c>HttpProtobuf</c>) or the collector's <c>http</c> (meaning http/protobuf); case does not matter.
        /// </summary>
        public static bool TryParse(string? text, out OtlpProtocol protocol)
        {
            var trimmed = (text ?? string.Empty).Trim();
            foreach (var (candidate, name, _) in Rows)
            {
                if (string.Equals(trimmed, name, StringComparison.OrdinalIgnoreCase) || string.Equals(trimmed, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    protocol = candidate;
                    return true;
                }
            }

            protocol = Default;
            return string.Equals(trimmed, "http", StringComparison.OrdinalIgnoreCase);
        }

        private static (OtlpProtocol Protocol, string Name, string CollectorKey) Get(OtlpProtocol protocol)
        {
            foreach (var row in Rows)
            {
                if (row.Protocol == protocol)
                {
                    return row;
                }
            }

            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Not an OTLP protocol.");
        }
    }
}
