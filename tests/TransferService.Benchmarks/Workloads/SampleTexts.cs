namespace TransferService.Benchmarks.Workloads;

/// <summary>Texts of a chosen token length, made by joining plain English sentences (support tickets,
/// reviews, news, mail) in a seeded order, so every run sends the same texts.</summary>
internal static class SampleTexts
{
    private static readonly string[] Sentences =
    [
        "The package arrived two days late and the box was crushed on one side, but the headphones inside were fine.",
        "I have been charged twice for the same order this month and would like one of the payments refunded.",
        "Our team moved the nightly reports to the new cluster, and since then the jobs finish about forty minutes earlier.",
        "The city council voted on Tuesday to extend the bicycle lanes along the river by another three kilometres.",
        "After the latest update the app logs me out every time I switch to another window, which is really annoying.",
        "Please find attached the signed contract together with the invoice for the first quarter of next year.",
        "The hotel was clean and quiet, the staff were friendly, and breakfast had far more choice than we expected.",
        "Researchers found that the new battery keeps ninety percent of its capacity after a thousand charging cycles.",
        "Can you confirm whether the meeting with the supplier is still planned for Thursday at half past ten?",
        "The printer on the second floor shows a paper jam error even though there is no paper stuck anywhere.",
        "Heavy rain is expected across the northern region tonight, with strong winds along the coast until Sunday morning.",
        "I followed the installation guide step by step, but the service fails to start and prints a permission error.",
        "The restaurant changed its menu last spring; the soups are still excellent, although the portions got smaller.",
        "Shares of the shipping company rose sharply after it reported higher profits than analysts had forecast.",
        "We would like to book a table for six people on Friday evening, preferably somewhere near the window.",
        "My flight was cancelled at the last minute and nobody at the desk could tell me when the next one leaves.",
        "The museum's new wing displays paintings from the early twentieth century that have never been shown in public.",
        "Customers who ordered before noon receive their parcels the next working day, except during public holidays.",
        "The laptop runs hot when charging and the fan becomes loud, even when only a text editor is open.",
        "Local farmers say the dry summer cut their harvest by a third and pushed up the price of vegetables.",
        "Thanks for the quick reply; the workaround you suggested solved the problem and the export works again.",
        "The football club announced that its captain will miss the rest of the season because of a knee injury.",
        "Is it possible to change the delivery address after the order has been shipped, or is it too late now?",
        "The training course covers data cleaning, simple statistics and how to present results to people outside the team.",
    ];

    public static string[] Create(Func<string, int> countTokens, int count, int minTokens, int maxTokens)
    {
        var random = new Random(60);
        var lengths = Sentences.Select(countTokens).ToArray();
        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            var target = random.Next(minTokens, maxTokens + 1);
            var start = random.Next(Sentences.Length);
            var picked = new List<string>();
            var tokens = 2; // [CLS] and [SEP], counted in every sentence's own length too
            for (var k = 0; k < Sentences.Length && tokens < target; k++)
            {
                var index = (start + k * 7) % Sentences.Length;
                var added = lengths[index] - 2;
                if (tokens + added > maxTokens) continue;
                picked.Add(Sentences[index]);
                tokens += added;
            }
            texts[i] = string.Join(" ", picked);
        }
        return texts;
    }
}
