using System.Text.Json;
using System.Text.Json.Serialization;

namespace TransferService.Core.Extraction;

/// <summary>The JSON of an extraction job's payload and checkpoint, stored by the job store.</summary>
public static class ExtractionPayload
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Json)
        ?? throw new InvalidDataException($"an extraction job's stored {typeof(T).Name} is empty");
}
