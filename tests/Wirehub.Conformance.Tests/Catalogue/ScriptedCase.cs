namespace Wirehub.Conformance.Tests.Catalogue;

/// <summary>
/// A case written as a script: the catalogue passes what to do when the connection opens (usually: state the
/// expectations, send frames, arm a timer) and, for the few cases that need it, how to adjust the verdict.
/// </summary>
internal sealed class ScriptedCase(Action<ScriptedCase> onOpen, Action<ScriptedCase>? afterJudge = null) : FuzzingCase
{
    public override void OnOpen() => onOpen(this);

    public override void OnConnectionLost()
    {
        Judge();
        afterJudge?.Invoke(this);
    }

    /// <summary>Section 7 rule: a wrong close code fails the behaviour too, since the close is the behaviour.</summary>
    public static void WrongCodeFailsCase(ScriptedCase c)
    {
        if (c.BehaviorClose != CaseBehavior.WrongCode) return;
        c.Behavior = CaseBehavior.Failed;
        c.Result = c.ResultClose;
    }

    /// <summary>For cases whose outcome the spec leaves open: always passes, reporting what happened.</summary>
    public static Action<ScriptedCase> Informational(string result) => c =>
    {
        c.Result = $"{result} Observed: {c.Behavior} / {c.BehaviorClose}: {c.ResultClose}";
        c.Behavior = CaseBehavior.Informational;
        c.BehaviorClose = CaseBehavior.Informational;
    };
}
