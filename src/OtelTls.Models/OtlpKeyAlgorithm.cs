namespace OtelTls
{
    // Based on long, like every public enum of the models (see OtlpSeverity.cs for why); a contract test keeps it so.
    /// <summary>Key algorithms offered for new certificates.</summary>
    public enum OtlpKeyAlgorithm : long
    {
        /// <summary>ECDSA on NIST P-256 (fast, universally supported).</summary>
        EcdsaP256 = 0,
        /// <summary>ECDSA on NIST P-384.</summary>
        EcdsaP384 = 1,
        /// <summary>RSA, 2048-bit modulus.</summary>
        Rsa2048 = 2,
        /// <summary>RSA, 3072-bit modulus.</summary>
        Rsa3072 = 3,
        /// <summary>RSA, 4096-bit modulus.</summary>
        Rsa4096 = 4,
    }
}
