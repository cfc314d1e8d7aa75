using Wirehub.Conformance.Tests.Catalogue;

namespace Wirehub.Conformance.Tests.HarnessTests;

public sealed class CaseCatalogueTests
{
    [Fact]
    public void Catalogue_holds_the_517_cases_of_sections_1_to_7_9_10_12_and_13()
    {
        Assert.Equal(517, CaseCatalogue.All.Count);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 11)]
    [InlineData(3, 7)]
    [InlineData(4, 10)]
    [InlineData(5, 20)]
    [InlineData(6, 145)]
    [InlineData(7, 37)]
    [InlineData(9, 54)]
    [InlineData(10, 1)]
    [InlineData(12, 90)]
    [InlineData(13, 126)]
    public void Section_has_as_many_cases_as_the_original(int section, int count)
    {
        Assert.Equal(count, CaseCatalogue.All.Count(c => c.IdParts[0] == section));
    }

    [Fact]
    public void Utf8_subsections_6_5_to_6_23_have_the_original_sizes()
    {
        int[] sizes = [5, 11, 4, 2, 4, 3, 5, 8, 5, 10, 1, 3, 5, 5, 5, 7, 8, 34, 7];

        var actual = Enumerable.Range(5, 19).Select(sub => CaseCatalogue.All.Count(c => c.IdParts[0] == 6 && c.IdParts[1] == sub));

        Assert.Equal(sizes, actual);
    }

    [Fact]
    public void Cases_are_ordered_by_numeric_id_as_the_fuzzing_server_numbers_them()
    {
        var ids = CaseCatalogue.All.Select(c => c.Id).ToList();

        Assert.Equal(["1.1.1", "1.1.2"], ids.Take(2));
        Assert.Equal("6.4.4", ids[ids.IndexOf("6.5.1") - 1]);
        Assert.Equal("7.13.1", ids[ids.IndexOf("7.9.9") + 1]);
        Assert.Equal("9.8.6", ids[ids.IndexOf("10.1.1") - 1]);
        Assert.Equal("13.7.18", ids[^1]);
    }

    [Fact]
    public void Every_case_creates_a_fresh_run()
    {
        foreach (var definition in CaseCatalogue.All)
            Assert.NotSame(definition.Create(), definition.Create());
    }

    [Fact]
    public void Only_sections_12_and_13_offer_compression()
    {
        foreach (var definition in CaseCatalogue.All)
            Assert.Equal(definition.IdParts[0] is 12 or 13, definition.Create().Compression is not null);
    }

    [Fact]
    public void Compression_corpora_are_the_same_on_every_run()
    {
        foreach (var corpus in CompressionCorpus.All)
        {
            int first = 0, second = 0;
            Assert.Equal(corpus.NextMessage(ref first, 5000), corpus.NextMessage(ref second, 5000));
        }
    }

    [Fact]
    public void Text_corpus_messages_wrap_around_on_code_point_boundaries()
    {
        var html = CompressionCorpus.All.Single(c => c.Key == "html_data1");
        int position = 0;

        for (int i = 0; i < 40; i++)
            Assert.True(Wire.Utf8StreamValidator.IsValid(html.NextMessage(ref position, 131072)));
    }
}
