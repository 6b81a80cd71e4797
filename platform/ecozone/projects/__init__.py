"""Innovation projects (办法 第五章 第十至十二条): proposal, public notice, working group, closure."""
