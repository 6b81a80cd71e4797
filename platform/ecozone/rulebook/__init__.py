"""The base's own rules as documents in force (章程 第三十二条; 办法 第十八条(一)): the Measures, the
Charter and later rules, each a series of versions adopted by a full meeting's passed motion after a
document consultation; public."""
