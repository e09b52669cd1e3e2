using TransferService.Contracts.V1;
using TransferService.Core.Backbones;
using CoreModality = TransferService.Core.Backbones.Modality;
using CorePooling = TransferService.Core.Backbones.Pooling;
using CoreState = TransferService.Core.Backbones.BackboneState;

namespace TransferService.Grpc;

internal static class BackboneMapper
{
    public static Backbone ToContract(BackboneInfo info)
    {
        var backbone = new Backbone
        {
            Name = info.Name,
            State = info.State switch
            {
                CoreState.Available => Contracts.V1.BackboneState.Available,
                CoreState.Loading => Contracts.V1.BackboneState.Loading,
                CoreState.Ready => Contracts.V1.BackboneState.Ready,
                _ => Contracts.V1.BackboneState.Failed,
            },
            Error = info.Error,
            Lanes = { info.Lanes },
            ItemsEmbedded = (ulong)info.ItemsEmbedded,
            FootprintBytes = (ulong)info.FootprintBytes,
            Instances =
            {
                (info.Instances ?? []).Select(i => new Contracts.V1.BackboneInstance { Lane = i.Lane, ItemsEmbedded = (ulong)i.ItemsEmbedded, QueuedItems = (uint)i.QueuedItems }),
            },
        };
        if (info.Manifest is not { } m) return backbone;
        backbone.Version = m.Version;
        backbone.Description = m.Description;
        backbone.Dimension = (uint)m.Dimension;
        backbone.NormalizeByDefault = m.Normalize;
        backbone.Modality = m.Modality switch
        {
            CoreModality.Image => Contracts.V1.Modality.Image,
            CoreModality.Text => Contracts.V1.Modality.Text,
            _ => Contracts.V1.Modality.Tensor,
        };
        backbone.Pooling = m.Pooling switch
        {
            CorePooling.None => Contracts.V1.Pooling.None,
            CorePooling.MaskedMean => Contracts.V1.Pooling.MaskedMean,
            CorePooling.Cls => Contracts.V1.Pooling.Cls,
            _ => Contracts.V1.Pooling.SpatialMean,
        };
        backbone.Input = new InputContract { MaxBatchSize = (uint)m.MaxBatchSize };
        if (m.Image is { } image)
            backbone.Input.Image = new ImageContract
            {
                Width = (uint)image.Width, Height = (uint)image.Height, ChannelOrder = image.ChannelOrder, Scale = image.Scale,
                Mean = { image.Mean }, Std = { image.Std }, MaxPixels = (ulong)image.MaxPixels,
            };
        if (m.Text is { } text)
            backbone.Input.Text = new TextContract
            {
                Tokenizer = text.Tokenizer, Lowercase = text.Lowercase, MaxTokens = (uint)text.MaxTokens, Truncate = text.Truncate,
            };
        if (m.Tensor is { } tensor) backbone.Input.Tensor = new TensorContract { Shape = { tensor.Shape } };
        return backbone;
    }
}
