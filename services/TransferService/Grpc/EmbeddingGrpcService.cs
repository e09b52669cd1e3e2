using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Options;
using TransferService.Contracts.V1;
using TransferService.Core.Embeddings;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using InputReport = TransferService.Contracts.V1.InputReport;
using TransferService.Hosting;
using TransferService.Core.Scheduling;
using TransferService.Security;

namespace TransferService.Grpc;

internal sealed class EmbeddingGrpcService(EmbeddingPipeline pipeline, IOptions<ServiceOptions> options,
    ILogger<EmbeddingGrpcService> logger) : Contracts.V1.EmbeddingService.EmbeddingServiceBase
{
    public override async Task<EmbedResponse> Embed(EmbedRequest request, ServerCallContext context)
    {
        var inputs = new EmbeddingInput[request.Inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            try { inputs[i] = InputMapper.ToCore(request.Inputs[i]); }
            catch (TransferException e) { throw e.WithFieldPrefix($"inputs[{i}]"); }
        }
        var result = await pipeline.EmbedAsync(request.Backbone, inputs, request.Normalize, WorkTag.Interactive(context.Tenant()), context.CancellationToken);
        var response = new EmbedResponse
        {
            Backbone = result.Manifest.Name,
            BackboneVersion = result.Manifest.Version,
            Dimension = (uint)result.Manifest.Dimension,
        };
        response.Embeddings.AddRange(result.Embeddings);
        response.Reports.AddRange(result.Reports.Select(ToContract));
        return response;
    }

    /// <summary>Reads at most <see cref="ServiceOptions.StreamWindow"/> items ahead of the answers written:
    /// a slot is freed only once an item's answer has gone out, so neither a fast client nor a slow reader
    /// makes the server buffer without bound. The stream is one call for the preparation budget: its items
    /// share one <see cref="PreparationShare"/>. One task writes, as the stream writer requires. When the call fails
    /// (a bad or oversized message, the client gone), its items in flight are cancelled and the call returns only once
    /// they have stopped: nothing runs on for a call that is over.</summary>
    public override async Task EmbedStream(IAsyncStreamReader<EmbedStreamRequest> requestStream,
        IServerStreamWriter<EmbedStreamResponse> responseStream, ServerCallContext context)
    {
        var window = options.Value.StreamWindow;
        using var idle = new StreamIdleTimer(options.Value.StreamIdleTimeout, context.CancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(idle.Token);
        var cancellation = stop.Token;
        using var slots = new SemaphoreSlim(window, window);
        var answers = Channel.CreateBounded<EmbedStreamResponse>(window);
        var share = pipeline.CreateShare();
        var tag = WorkTag.Interactive(context.Tenant());
        var writer = WriteAnswersAsync(answers.Reader, responseStream, slots, idle, cancellation);
        var inFlight = new List<Task>(window);
        try
        {
            await foreach (var request in requestStream.ReadAllAsync(cancellation))
            {
                idle.Progressed();
                await slots.WaitAsync(cancellation);
                inFlight.RemoveAll(item => item.IsCompleted);
                inFlight.Add(AnswerAsync(request, share, tag, answers.Writer, cancellation));
            }
            for (var i = 0; i < window; i++) await slots.WaitAsync(cancellation);
            answers.Writer.Complete();
            await writer;
        }
        catch (OperationCanceledException) when (idle.Expired)
        {
            throw idle.Timeout("stream");
        }
        finally
        {
            if (!writer.IsCompletedSuccessfully)
            {
                await stop.CancelAsync();
                answers.Writer.TryComplete();
                await Task.WhenAll(inFlight); // AnswerAsync ends quietly on cancellation
                try { await writer; }
                catch (Exception) when (stop.IsCancellationRequested) { } // the call's own failure is the one reported
            }
        }
    }

    /// <summary>Writes answers until <paramref name="cancellation"/> (the call failing) stops it. A write under way is not
    /// cancelled with it, only by the call's end or the idle timeout: grpc-dotnet aborts the HTTP/2 stream when a write is
    /// cancelled, and the client would then see a reset stream (INTERNAL_ERROR) instead of the call's status.</summary>
    private static async Task WriteAnswersAsync(ChannelReader<EmbedStreamResponse> answers,
        IServerStreamWriter<EmbedStreamResponse> responseStream, SemaphoreSlim slots, StreamIdleTimer idle, CancellationToken cancellation)
    {
        await foreach (var answer in answers.ReadAllAsync(cancellation))
        {
            await responseStream.WriteAsync(answer, idle.Token);
            idle.Progressed();
            slots.Release();
        }
    }

    private async Task AnswerAsync(EmbedStreamRequest request, PreparationShare share, WorkTag tag, ChannelWriter<EmbedStreamResponse> answers,
        CancellationToken cancellation)
    {
        var answer = new EmbedStreamResponse { Id = request.Id };
        try
        {
            EmbeddingInput input;
            try { input = InputMapper.ToCore(request.Input); }
            catch (TransferException e) { throw e.WithFieldPrefix("input"); }
            var (embedding, report) = await pipeline.EmbedOneAsync(request.Backbone, input, request.Normalize, "input", share, tag, cancellation);
            answer.Embedding = new Embedding { Values = { embedding }, Report = ToContract(report) };
        }
        catch (TransferException e)
        {
            answer.Error = new ItemError { Code = (int)ErrorInterceptor.ToCode(e.Code), Message = e.Message, Field = e.Field ?? "" };
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            GrpcLog.StreamItemFailed(logger, e, request.Id);
            answer.Error = new ItemError { Code = (int)StatusCode.Internal, Message = "internal error; see the service log" };
        }
        try
        {
            await answers.WriteAsync(answer, cancellation);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException && cancellation.IsCancellationRequested)
        {
            // The call failed while this answer waited for room: nobody reads it.
        }
    }

    private static InputReport ToContract(Core.Inputs.InputReport report) =>
        new() { Tokens = (uint)report.Tokens, Truncated = report.Truncated };
}
