using System;
using System.IO;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Pkcs;

namespace OtelTls.Engine.Certificates
{
    /// <summary>PKCS#12 (PFX) loading with a clear answer for a wrong or missing password.</summary>
    internal static class Pkcs12Files
    {
        public static Pkcs12Store Load(byte[] bytes, string source, string? password)
        {
            var store = new Pkcs12StoreBuilder().Build();
            try
            {
                using var stream = new MemoryStream(bytes, writable: false);
                store.Load(stream, (password ?? string.Empty).ToCharArray());
                return store;
            }
            catch (IOException ex) when (IsWrongPassword(ex))
            {
                throw new OtlpTlsException(OtlpErrorId.Pkcs12PasswordInvalid, OtlpErrorKind.AuthenticationError,
                    password is null
                        ? $"The PKCS#12 file '{source}' is protected by a password and none was given."
                        : $"The password for the PKCS#12 file '{source}' is wrong.",
                    source, "Pass the file's password with -Password (a SecureString: Read-Host -AsSecureString).", ex);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or InvalidCastException or InvalidOperationException
                or Org.BouncyCastle.Security.SecurityUtilityException or Org.BouncyCastle.Crypto.CryptoException)
            {
                throw new OtlpTlsException(OtlpErrorId.CertificateFileInvalid, OtlpErrorKind.InvalidData,
                    $"The file '{source}' is not a readable PKCS#12 file: {ex.Message}", source,
                    "Check the file with 'openssl pkcs12 -in <file> -info -noout'.", ex);
            }
        }

        public static bool LooksLikePfx(byte[] bytes)
        {
            try
            {
                var sequence = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(bytes));
                return sequence.Count >= 2 && sequence[0] is DerInteger version && version.HasValue(3);
            }
            // Random bytes can also read as an over-long ASN.1 length (Asn1ParsingException, not an IOException).
            catch (Exception ex) when (ex is IOException or ArgumentException or InvalidCastException or Asn1ParsingException)
            {
                return false;
            }
        }

        // BouncyCastle reports a failed MAC check as an IOException with this text.
        private static bool IsWrongPassword(IOException ex) =>
            ex.Message.IndexOf("password", StringComparison.OrdinalIgnoreCase) >= 0
            || ex.Message.IndexOf("mac invalid", StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
