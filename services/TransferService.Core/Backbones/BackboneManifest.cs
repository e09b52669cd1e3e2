namespace TransferService.Core.Backbones;

/// <summary>A backbone as its <c>backbone.json</c> describes it. Exactly one of <see cref="Image"/>,
/// <see cref="Text"/>, <see cref="Tensor"/> is set, matching <see cref="Modality"/>.</summary>
public sealed record BackboneManifest
{
    public const string FileName = "backbone.json";

    /// <summary>Defaults to the folder name.</summary>
    public string Name { get; init; } = "";
    public string Version { get; init; } = "1";
    public required Modality Modality { get; init; }
    public string Description { get; init; } = "";
    /// <summary>Model file, relative to the backbone folder.</summary>
    public string Model { get; init; } = "model.onnx";
    /// <summary>Name of the model output that carries the embedding (before pooling).</summary>
    public required string Output { get; init; }
    public Pooling Pooling { get; init; } = Pooling.None;
    public required int Dimension { get; init; }
    /// <summary>L2-normalise embeddings even when a request does not ask for it.</summary>
    public bool Normalize { get; init; }
    public int MaxBatchSize { get; init; } = 32;
    /// <summary>Left out of the JSON when fp32, so a manifest written before this field existed keeps its
    /// embedding cache key; fp16 changes the embeddings, and so the key.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public Precision Precision { get; init; }
    public ImageSpec? Image { get; init; }
    public TextSpec? Text { get; init; }
    public TensorSpec? Tensor { get; init; }
}

/// <summary>Image preprocessing: composite any alpha onto <see cref="Background"/>, resize (stretch) to
/// Width×Height, planar NCHW, value = (pixel·Scale − Mean[c]) / Std[c] with pixel in 0..255, channels in
/// <see cref="ChannelOrder"/>.</summary>
public sealed record ImageSpec
{
    public required string Input { get; init; }
    public int Width { get; init; } = 224;
    public int Height { get; init; } = 224;
    public string ChannelOrder { get; init; } = "rgb";
    public float Scale { get; init; } = 1f;
    public float[] Mean { get; init; } = [0f, 0f, 0f];
    public float[] Std { get; init; } = [1f, 1f, 1f];
    /// <summary>Largest image accepted, width×height read from the header, checked before decoding.</summary>
    public long MaxPixels { get; init; } = 40_000_000;
    /// <summary>[r, g, b], 0–255: what transparent pixels are composited onto, so an image is embedded as it
    /// looks rather than with whatever colour its transparent pixels happen to store.</summary>
    public int[] Background { get; init; } = [255, 255, 255];
}

/// <summary>WordPiece (BERT) tokenisation with a vocabulary file in the backbone folder.</summary>
public sealed record TextSpec
{
    public string InputIds { get; init; } = "input_ids";
    public string AttentionMask { get; init; } = "attention_mask";
    /// <summary>Empty when the model takes no token type ids.</summary>
    public string TokenTypeIds { get; init; } = "token_type_ids";
    public string Tokenizer { get; init; } = "wordpiece";
    public string Vocabulary { get; init; } = "vocab.txt";
    public bool Lowercase { get; init; } = true;
    public int MaxTokens { get; init; } = 256;
    /// <summary>Cut longer texts to <see cref="MaxTokens"/> (reported per item); when false they are refused.</summary>
    public bool Truncate { get; init; } = true;
    /// <summary>Longest text accepted at all, in characters, before tokenising.</summary>
    public int MaxCharacters { get; init; } = 100_000;
}

/// <summary>A float32 tensor input of fixed item shape (batch dimension excluded).</summary>
public sealed record TensorSpec
{
    public required string Input { get; init; }
    public required long[] Shape { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
}
