using Microsoft.ML.OnnxRuntime;
using TransferService.Contracts.V1;
using TransferService.Onnx.Tests.Preprocessing;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Embeddings;

/// <summary>End to end: the server's minilm embeddings of the tokenizer corpus are the model's output for the ids
/// Hugging Face's BERT tokenizer gives (tests/reference), run through plain ONNX Runtime.</summary>
[Collection(ServerCollection.Name)]
public sealed class MiniLmReferenceTokenizationTests(ServerFixture server)
{
    private readonly EmbeddingService.EmbeddingServiceClient _client = new(server.Channel);

    [Fact]
    public async Task Embed_TokenizerCorpus_MatchesTheModelOnReferenceIds()
    {
        var corpus = ReferenceTokenizer.ReadCorpus();
        var reply = await _client.EmbedAsync(new EmbedRequest
        {
            Backbone = "minilm",
            Inputs = { corpus.Select(text => new Input { Text = text }) },
        });
        var folder = Path.Combine(server.ModelRepository, "minilm");
        var expected = ReferenceTokenizer.EncodeCorpus(Path.Combine(folder, "vocab.txt"), lowercase: true);

        Assert.Equal(expected.Select(ids => (uint)ids.Length), reply.Reports.Select(report => report.Tokens));
        using var model = new InferenceSession(Path.Combine(folder, "model.onnx"));
        // Every 10th line: the model run is the slow part, and the ids are already compared line by line.
        for (var line = 0; line < corpus.Count; line += 10)
        {
            var error = Vectors.RelativeError(Vectors.Row(reply, line), SentenceEmbedding(model, expected[line]));
            Assert.True(error < 1e-4, $"line {line + 1}: relative error {error}");
        }
    }

    /// <summary>all-MiniLM-L6-v2's sentence embedding, batch 1: mean of last_hidden_state, L2-normalised.</summary>
    private static float[] SentenceEmbedding(InferenceSession model, long[] ids)
    {
        long[] shape = [1, ids.Length];
        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var attentionMask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, ids.Length).ToArray(), shape);
        using var tokenTypeIds = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        using var outputs = model.Run(new RunOptions(), ["input_ids", "attention_mask", "token_type_ids"],
            [inputIds, attentionMask, tokenTypeIds], ["last_hidden_state"]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var dimension = hidden.Length / ids.Length;
        var mean = new float[dimension];
        for (var token = 0; token < ids.Length; token++)
            for (var d = 0; d < dimension; d++) mean[d] += hidden[token * dimension + d] / ids.Length;
        var norm = MathF.Sqrt(mean.Sum(v => v * v));
        return mean.Select(v => v / norm).ToArray();
    }
}
