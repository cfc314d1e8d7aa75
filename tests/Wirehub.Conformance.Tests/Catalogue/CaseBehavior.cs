namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// The verdict words of the Autobahn TestSuite reports, kept so that results read the same. A case passes this
/// suite only with OK (or INFORMATIONAL for cases the spec leaves open): NON-STRICT, which Autobahn tolerates, fails.
/// </summary>
internal static class CaseBehavior
{
    public const string Ok = "OK";
    public const string NonStrict = "NON-STRICT";
    public const string Failed = "FAILED";
    public const string WrongCode = "WRONG CODE";
    public const string Unclean = "UNCLEAN";
    public const string FailedByClient = "FAILED BY CLIENT";
    public const string Informational = "INFORMATIONAL";
    public const string Unimplemented = "UNIMPLEMENTED";

    public static bool IsPassing(string behavior) => behavior is Ok or Informational;
}
