using TransferService.Core.Backbones;
using TransferService.Core.Inputs;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Tests.Preprocessing;

public sealed class ImagePreparerTests
{
    [Fact]
    public void Prepare_BgrWithMeanAndStd_WritesPlanesInModelChannelOrder()
    {
        var spec = new ImageSpec { Input = "x", Width = 2, Height = 1, ChannelOrder = "bgr", Scale = 1, Mean = [10, 20, 30], Std = [1, 2, 4] };
        byte[] rgb = [100, 150, 200, 0, 50, 250];

        var prepared = ImagePlanes.ToPlanes(spec, (PreparedPixels)new ImagePreparer(spec).Prepare(new RawPixelsInput(rgb, 2, 1, 3)));

        // Model channel 0 is blue: (200 − 10) / 1, (250 − 10) / 1; channel 1 green: (150 − 20) / 2, (50 − 20) / 2; channel 2 red.
        Assert.Equal(new float[] { 190, 240, 65, 15, 17.5f, -7.5f }, prepared);
    }

    [Fact]
    public void Prepare_GrayPixels_ResizedToTheModelSize()
    {
        var spec = new ImageSpec { Input = "x", Width = 8, Height = 8 };
        var gray = Enumerable.Repeat((byte)77, 4 * 4).ToArray();

        var prepared = ImagePlanes.ToPlanes(spec, (PreparedPixels)new ImagePreparer(spec).Prepare(new RawPixelsInput(gray, 4, 4, 1)));

        Assert.Equal(3 * 8 * 8, prepared.Length);
        Assert.All(prepared, v => Assert.Equal(77, v, 0.5));
    }
}
