"""Expert consulting (专家团队咨询, 办法 第四条(四))."""
