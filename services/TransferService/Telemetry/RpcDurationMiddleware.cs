using System.Diagnostics;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http.Features;
using TransferService.Core.Telemetry;

namespace TransferService.Telemetry;

/// <summary>Records <c>rpc.server.duration</c> for every gRPC call, by service, method and gRPC status. Here rather than in
/// an interceptor so that calls refused before any interceptor runs (a message too large, a body that is not protobuf,
/// an unknown method) are counted too. The method is taken from the endpoint, never from the request path, so a client
/// making up paths cannot make up series: anything that is not one of the service's methods is <c>_OTHER</c>.</summary>
internal sealed class RpcDurationMiddleware(RequestDelegate next, TransferMetrics metrics)
{
    private const string Other = "_OTHER";

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
            var known = method is not null && context.Request.Path.Value == method.FullName;
            metrics.RecordRpc(known ? method!.ServiceName : Other, known ? method!.Name : Other, StatusCode(context),
                Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response; 2 (UNKNOWN) when absent
    /// (the connection broke before the server answered).</summary>
    private static int StatusCode(HttpContext context)
    {
        var status = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"].ToString();
        if (string.IsNullOrEmpty(status)) status = context.Response.Headers["grpc-status"].ToString();
        return int.TryParse(status, out var code) ? code : 2;
    }
}
