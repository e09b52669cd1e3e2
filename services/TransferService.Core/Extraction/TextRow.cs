namespace TransferService.Core.Extraction;

/// <summary>One text of a JSONL or CSV source and its id (the row number from 0 when the file gives none).</summary>
public sealed record TextRow(string Id, string Text);
