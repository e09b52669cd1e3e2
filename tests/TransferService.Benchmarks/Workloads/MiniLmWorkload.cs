using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using TransferService.Benchmarks.Bare;
using TransferService.Contracts.V1;

namespace TransferService.Benchmarks.Workloads;

/// <summary>English texts of 60–120 WordPiece tokens, sent to the service as text (it tokenizes) and to the
/// bare session tokenized once beforehand with the backbone's own vocabulary, each batch padded to its
/// longest text.</summary>
internal sealed class MiniLmWorkload : IWorkload
{
    public const int MinTokens = 60;
    public const int MaxTokens = 120;
    private const int DistinctTexts = 64;
    private readonly string[] _texts;
    private readonly long[][] _tokenIds;

    public MiniLmWorkload(string modelFolder)
    {
        using var vocabulary = File.OpenRead(Path.Combine(modelFolder, "vocab.txt"));
        var tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true });
        _texts = SampleTexts.Create(text => tokenizer.EncodeToIds(text, addSpecialTokens: true).Count,
            DistinctTexts, MinTokens, MaxTokens);
        _tokenIds = _texts.Select(t => tokenizer.EncodeToIds(t, addSpecialTokens: true).Select(id => (long)id).ToArray()).ToArray();
    }

    public string Model => "minilm";
    public string Output => "last_hidden_state";
    public string Description =>
        $"{DistinctTexts} texts of {_tokenIds.Min(t => t.Length)}-{_tokenIds.Max(t => t.Length)} tokens (mean {_tokenIds.Average(t => t.Length):F0})";

    public IReadOnlyList<BareBatch> CreateBareBatches(int batchSize)
    {
        var batches = new List<BareBatch>();
        for (var first = 0; first < DistinctTexts; first += batchSize)
        {
            var rows = Enumerable.Range(first, batchSize).Select(i => _tokenIds[i % DistinctTexts]).ToArray();
            var width = rows.Max(r => r.Length);
            var ids = new long[batchSize * width];
            var mask = new long[batchSize * width];
            for (var row = 0; row < batchSize; row++)
            {
                rows[row].CopyTo(ids.AsSpan(row * width));
                mask.AsSpan(row * width, rows[row].Length).Fill(1);
            }
            batches.Add(new BareBatch(batchSize, new Dictionary<string, OrtValue>
            {
                ["input_ids"] = BareBatch.Tensor(ids, batchSize, width),
                ["attention_mask"] = BareBatch.Tensor(mask, batchSize, width),
                ["token_type_ids"] = BareBatch.Tensor(new long[batchSize * width], batchSize, width),
            }));
        }
        return batches;
    }

    public IReadOnlyList<EmbedRequest> CreateRequests() =>
        _texts.Select(text => new EmbedRequest { Backbone = Model, Inputs = { new Input { Text = text } } }).ToArray();
}
