import type { Tracer } from '@opentelemetry/api';

/**
 * OpenTelemetry tracing, when FULCRUM_OTEL_ENDPOINT names an OTLP/HTTP traces endpoint
 * (`http://collector:4318/v1/traces`): spans are batched and exported as OTLP JSON. The SDK is
 * loaded only then, so a server without tracing carries none of it. The service is named by
 * OTEL_SERVICE_NAME (default `fulcrum`).
 */
export async function startTracing(endpoint: string): Promise<{ tracer: Tracer; shutdown(): Promise<void> }> {
  process.env.OTEL_SERVICE_NAME ??= 'fulcrum';
  const { NodeTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const provider = new NodeTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }))],
  });
  provider.register();
  return { tracer: provider.getTracer('fulcrum'), shutdown: () => provider.shutdown() };
}
