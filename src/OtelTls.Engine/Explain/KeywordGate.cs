using System;

namespace OtelTls.Engine.Explain
{
    /// <summary>
    /// "Does the line contain any of these words?" answered with plain substring searches, which the runtime vectorises.
    /// Every line of a log passes through two of these gates, so they must cost little: an alternation regex of the
    /// same words was several times slower, and so was a per-character table scan (most letters start some word).
    /// </summary>
    internal sealed class KeywordGate
    {
        private readonly string[] _anyCase;
        private readonly string[] _exactCase;

        /// <param name="anyCase">Words matched in any letter case.</param>
        /// <param name="exactCase">Words matched as written (error codes such as UNAVAILABLE).</param>
        public KeywordGate(string[] anyCase, string[]? exactCase = null)
        {
            _anyCase = anyCase;
            _exactCase = exactCase ?? Array.Empty<string>();
        }

        public bool Matches(string line)
        {
            foreach (var word in _anyCase)
            {
                if (line.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            foreach (var word in _exactCase)
            {
                if (line.IndexOf(word, StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
