using System.Collections;
using Microsoft.AspNetCore.Http.Features;

namespace Wirehub.WebSockets;

/// <summary>
/// The connection is its own feature collection: Kestrel sets four features on every connection, and a small array
/// searched in order holds them in a fraction of what a dictionary-backed <see cref="FeatureCollection"/> takes, which
/// counts at tens of thousands of idle connections.
/// </summary>
internal sealed partial class EventLoopConnection : IFeatureCollection
{
    private KeyValuePair<Type, object>[]? _features;
    private int _featureCount;
    private int _featureRevision;

    bool IFeatureCollection.IsReadOnly => false;

    int IFeatureCollection.Revision => _featureRevision;

    object? IFeatureCollection.this[Type key]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(key);
            for (int i = 0; i < _featureCount; i++)
            {
                if (_features![i].Key == key) return _features[i].Value;
            }
            return null;
        }
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            _featureRevision++;
            for (int i = 0; i < _featureCount; i++)
            {
                if (_features![i].Key != key) continue;
                if (value is not null)
                {
                    _features[i] = new(key, value);
                    return;
                }
                Array.Copy(_features, i + 1, _features, i, _featureCount - i - 1);
                _features[--_featureCount] = default;
                return;
            }
            if (value is null) return;
            if (_features is null) _features = new KeyValuePair<Type, object>[4];
            else if (_featureCount == _features.Length) Array.Resize(ref _features, _features.Length * 2);
            _features[_featureCount++] = new(key, value);
        }
    }

    TFeature? IFeatureCollection.Get<TFeature>() where TFeature : default =>
        (TFeature?)((IFeatureCollection)this)[typeof(TFeature)];

    void IFeatureCollection.Set<TFeature>(TFeature? instance) where TFeature : default =>
        ((IFeatureCollection)this)[typeof(TFeature)] = instance;

    IEnumerator<KeyValuePair<Type, object>> IEnumerable<KeyValuePair<Type, object>>.GetEnumerator()
    {
        for (int i = 0; i < _featureCount; i++) yield return _features![i];
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<Type, object>>)this).GetEnumerator();
}
