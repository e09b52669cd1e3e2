using Google.Protobuf;

namespace TransferService.Client.Exports;

/// <summary>Reads an ONNX model's <c>metadata_props</c> (ModelProto field 14, key/value string pairs) straight from
/// the protobuf encoding, skipping the graph, so reading it needs no ONNX Runtime.</summary>
public static class OnnxMetadata
{
    private const int MetadataPropsField = 14;

    public static IReadOnlyDictionary<string, string> Read(string modelPath)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        using var file = File.OpenRead(modelPath);
        var input = new CodedInputStream(file);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == MetadataPropsField &&
                WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                var (key, value) = ReadEntry(input.ReadBytes());
                properties[key] = value;
            }
            else input.SkipLastField();
        }
        return properties;
    }

    private static (string Key, string Value) ReadEntry(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        string key = "", value = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = input.ReadString(); break;
                case 2: value = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (key, value);
    }
}
