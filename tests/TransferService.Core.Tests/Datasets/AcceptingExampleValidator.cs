using TransferService.Core.Datasets;
using TransferService.Core.Inputs;

namespace TransferService.Core.Tests.Datasets;

/// <summary>Accepts every input: these tests are about storage, not about decoding.</summary>
public sealed class AcceptingExampleValidator : IExampleValidator
{
    public void Validate(EmbeddingInput input) { }
}
