namespace TransferService.Core.Heads;

/// <summary>How a head version's setting was chosen: every candidate's score, the index of the chosen one (lowest
/// validation loss, or the default grid's best linear head within one standard error of an MLP's), whether the grid
/// was the server's default (no config in the request), and how many rows the stored weights were refit on (0: no
/// refit; the chosen candidate's own weights are stored, as when the validation rows come from a separate dataset).</summary>
public sealed record HeadSearch(IReadOnlyList<SearchCandidate> Candidates, int Chosen, bool DefaultGrid, int RefitCount);
