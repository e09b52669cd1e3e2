using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace TransferService.Tests.Hostile;

/// <summary>A hostile client's gRPC call: a hand-made body posted over HTTP/2 prior knowledge (h2c), the
/// <c>grpc-status</c> read from the trailers (or from the headers of a trailers-only answer).</summary>
public static class ProtocolRawCall
{
    /// <summary>One gRPC frame: flag byte, 4-byte big-endian length (the payload's own unless given), payload.</summary>
    public static byte[] Frame(byte[] payload, uint? declaredLength = null, byte flag = 0)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static Task<(StatusCode Code, string Message)> SendAsync(WebApplication app, string method, byte[] body) =>
        SendAsync(app, method, new ByteArrayContent(body), beforeReading: null);

    /// <param name="beforeReading">Awaited once the answer's headers are in and before its body is read: until then the
    /// answer waits in HTTP/2's flow-control window (64 KiB for this client), and the server's writes behind it wait.</param>
    public static async Task<(StatusCode Code, string Message)> SendAsync(WebApplication app, string method, HttpContent body,
        Func<Task>? beforeReading)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{address}/{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using var response = await http.SendAsync(request, beforeReading is null ? HttpCompletionOption.ResponseContentRead : HttpCompletionOption.ResponseHeadersRead);
        if (beforeReading is not null) await beforeReading();
        await response.Content.ReadAsByteArrayAsync();
        var status = Header(response.TrailingHeaders, "grpc-status") ?? Header(response.Headers, "grpc-status")
            ?? throw new InvalidOperationException($"no grpc-status in an HTTP {(int)response.StatusCode} answer");
        var message = Header(response.TrailingHeaders, "grpc-message") ?? Header(response.Headers, "grpc-message") ?? "";
        return ((StatusCode)int.Parse(status), Uri.UnescapeDataString(message));
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.First() : null;
}
