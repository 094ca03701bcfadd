using System;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Linq;
using OpenTelemetry;
using OpenTelemetry.Trace;

// Usage: OtelTls.SdkClient <span name>
// Sends one span through the OTLP exporter configured only by the environment; prints the trace id (lowercase hex) on
// stdout, the SDK's own warnings and errors on stderr. Exit code 0 when the flush completed, 2 when it did not.
var name = args.Length > 0 ? args[0] : "oteltls-sdkclient";
using var listener = new SdkEventListener();
const string SourceName = "OtelTls.SdkClient";
using var source = new ActivitySource(SourceName);
using var provider = Sdk.CreateTracerProviderBuilder()
    .AddSource(SourceName)
    .AddOtlpExporter()
    .Build()!;

string traceId;
using (var activity = source.StartActivity(name, ActivityKind.Client))
{
    if (activity is null)
    {
        Console.Error.WriteLine("The span was not sampled.");
        return 3;
    }

    traceId = activity.TraceId.ToHexString();
}

Console.WriteLine(traceId);
var flushed = provider.ForceFlush(15_000);
Console.Error.WriteLine(flushed ? "flush: completed" : "flush: timed out");
return flushed ? 0 : 2;

/// <summary>Prints the OpenTelemetry SDK's warnings and errors (export failures, certificate problems) on stderr.</summary>
internal sealed class SdkEventListener : EventListener
{
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name.StartsWith("OpenTelemetry", StringComparison.Ordinal))
        {
            EnableEvents(eventSource, EventLevel.Warning, EventKeywords.All);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        var payload = eventData.Payload is null ? string.Empty : string.Join(" | ", eventData.Payload.Select(p => p?.ToString()));
        var message = eventData.Message is null || eventData.Payload is null ? payload : SafeFormat(eventData.Message, eventData.Payload.ToArray());
        Console.Error.WriteLine($"[{eventData.EventSource.Name}] {eventData.Level} {eventData.EventName}: {message}");
    }

    private static string SafeFormat(string format, object?[] payload)
    {
        try
        {
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, format, payload);
        }
        catch (FormatException)
        {
            return format + " " + string.Join(" | ", payload);
        }
    }
}
