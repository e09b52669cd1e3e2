namespace TransferService.Onnx.Sessions;

/// <summary>Runs a batch as a sequence of model runs over two buffer slots, packing run k+1 into one slot on a pool
/// thread while run k executes from the other on the caller's thread. A slot is packed again only after the run
/// that used it has executed and released it, so no buffer is written while a run reads it; memory stays at two
/// slots whatever the batch. With one slot, or one run, each run is packed and executed inline, with no thread hop.</summary>
internal static class OverlappedRuns
{
    public const int Slots = 2;

    public delegate void Execute(int slot, int run, Span<float> embeddings);

    public static void Run(int runs, int slots, Action<int, int> pack, Execute execute, Span<float> embeddings)
    {
        if (slots < Slots)
        {
            for (var run = 0; run < runs; run++)
            {
                pack(0, run);
                execute(0, run, embeddings);
            }
            return;
        }
        if (runs == 0) return;
        pack(0, 0);
        for (var run = 0; run < runs; run++)
        {
            var following = run + 1;
            var packing = following < runs ? Task.Run(() => pack(following % Slots, following)) : Task.CompletedTask;
            try
            {
                execute(run % Slots, run, embeddings);
            }
            catch
            {
                // The pack in flight must finish before the caller may release the buffers it writes.
                try { packing.Wait(); } catch (AggregateException) { }
                throw;
            }
            packing.GetAwaiter().GetResult();
        }
    }
}
