using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>A manifest's <c>image.background</c> outside [r, g, b] in 0..255 is refused when the backbone is
/// loaded: InvalidArgument naming the field, with no server path in the message.</summary>
[Collection(ServerCollection.Name)]
public sealed class AlphaBackgroundRefusedTests(ServerFixture server)
{
    private readonly BackboneService.BackboneServiceClient _backbones = new(server.Channel);

    [Theory]
    [InlineData("[0, 0, 256]")]
    [InlineData("[-1, 0, 0]")]
    [InlineData("[0, 0]")]
    [InlineData("[0.5, 0, 0]")]
    [InlineData("\"white\"")]
    [InlineData("null")]
    public async Task LoadBackbone_BadBackground_InvalidArgumentNamingImageBackground(string background)
    {
        var name = $"bg-{Guid.NewGuid():N}"[..20];
        PixelEchoBackbone.Create(server.ModelRepository, name, PixelEchoBackbone.Manifest($", \"background\": {background}"));

        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => _backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = name }).ResponseAsync, "image.background");

        Assert.DoesNotContain(server.DataFolder, message);
    }
}
