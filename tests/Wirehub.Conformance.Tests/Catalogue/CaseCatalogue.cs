namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// Every case of Autobahn TestSuite sections 1-7, 9, 10, 12 and 13 (517 cases), ordered by id as the fuzzing server
/// numbers them: /runCase?case=i runs the i-th (1-based) case of this list.
/// </summary>
internal static class CaseCatalogue
{
    private static readonly Lazy<IReadOnlyList<CaseDefinition>> Cases = new(Build);

    public static IReadOnlyList<CaseDefinition> All => Cases.Value;

    public static CaseDefinition ById(string id) =>
        All.FirstOrDefault(c => c.Id == id) ?? throw new ArgumentException($"There is no case '{id}' in the catalogue; ids look like '6.4.1'.", nameof(id));

    /// <summary>All case ids as xunit theory data, one row per case.</summary>
    public static TheoryData<string> Ids
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var definition in All) data.Add(definition.Id);
            return data;
        }
    }

    private static IReadOnlyList<CaseDefinition> Build()
    {
        var cases = FramingCases.All()
            .Concat(PingPongCases.All())
            .Concat(ReservedBitsCases.All())
            .Concat(OpcodeCases.All())
            .Concat(FragmentationCases.All())
            .Concat(Utf8Cases.All())
            .Concat(CloseCases.All())
            .Concat(LimitsCases.All())
            .Concat(AutoFragmentationCases.All())
            .Concat(CompressionCases.All())
            .ToList();
        cases.Sort((a, b) => CompareIds(a.IdParts, b.IdParts));
        var duplicate = cases.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"The catalogue defines case {duplicate.Key} twice.");
        return cases;
    }

    private static int CompareIds(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
            if (a[i] != b[i]) return a[i].CompareTo(b[i]);
        return a.Count.CompareTo(b.Count);
    }
}
