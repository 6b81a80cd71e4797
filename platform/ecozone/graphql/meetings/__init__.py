"""GraphQL of joint meetings (办法 第四条(一)(八)): types, inputs, Query and Mutation."""
