namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// One catalogue entry: its id ("6.4.1"), what it does and what it expects (the original case texts), and how to
/// create a fresh run of it. <see cref="Heavy"/> marks section 9 cases, which move megabytes and run one at a time.
/// </summary>
internal sealed record CaseDefinition(string Id, string Description, string Expectation, Func<FuzzingCase> Create, bool Heavy = false)
{
    public IReadOnlyList<int> IdParts { get; } = Id.Split('.').Select(int.Parse).ToArray();

    public override string ToString() => $"{Id}: {Description}";
}
