using System.Globalization;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// The rule every line-based output (dotenv, <c>$GITHUB_ENV</c>, <c>##vso</c> logging commands, Kubernetes env) applies
    /// to a value before writing it: no value may hold a character that a consumer reads as the end of a line or as a
    /// control, so no value can add a variable or a command. No OTLP variable legitimately holds one.
    /// </summary>
    public static class LineValues
    {
        /// <summary>The error id of a refused value.</summary>
        public const string ControlCharacterErrorId = "ValueHasControlCharacter";

        /// <summary>Throws when <paramref name="value"/> holds a control character (CR, LF, NUL, tab, C1, U+2028/U+2029).</summary>
        /// <param name="name">The variable, named in the error (the value is not shown: it may be a secret).</param>
        /// <param name="value">The value to check.</param>
        /// <param name="format">The output, for the message ("a dotenv file").</param>
        /// <exception cref="OtlpTlsException">ValueHasControlCharacter.</exception>
        public static void Check(string name, string value, string format)
        {
            var index = IndexOfControl(value);
            if (index >= 0)
            {
                throw new OtlpTlsException(ControlCharacterErrorId, OtlpErrorKind.InvalidArgument,
                    $"The value of {name} holds the control character U+{(int)value[index]:X4} at position {index + 1}; written to {format} it would end the line and could add variables or commands. Nothing was written.",
                    name, "Remove line breaks and other control characters from the endpoint or path (check for a pasted CR/LF).");
            }
        }

        /// <summary>The index of the first control character, or -1.</summary>
        public static int IndexOfControl(string value)
        {
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (char.IsControl(c) || c == '\u2028' || c == '\u2029' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.LineSeparator)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
