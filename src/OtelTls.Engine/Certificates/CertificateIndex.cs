using System;
using System.Collections.Generic;

namespace OtelTls.Engine.Certificates
{
    /// <summary>Certificates by subject name: the trusted authorities, or the untrusted certificates that came with a leaf.</summary>
    internal sealed class CertificateIndex
    {
        private readonly Dictionary<string, List<CertificateNode>> _byName = new(StringComparer.Ordinal);

        public CertificateIndex(IEnumerable<CertificateNode> nodes)
        {
            foreach (var node in nodes)
            {
                Add(node);
            }
        }

        public List<CertificateNode> All { get; } = new();

        public void Add(CertificateNode node)
        {
            All.Add(node);
            if (!_byName.TryGetValue(node.SubjectKey, out var list))
            {
                _byName[node.SubjectKey] = list = new List<CertificateNode>();
            }

            list.Add(node);
        }

        public IReadOnlyList<CertificateNode> Named(string key) => _byName.TryGetValue(key, out var list) ? list : Array.Empty<CertificateNode>();
    }
}
